"""Every model file format, behind one ``open_model()``: C .bin/.txt, gensim 4, legacy pickles, the reopen cache."""
