"""Qt user interface; it only calls explorer.core."""
