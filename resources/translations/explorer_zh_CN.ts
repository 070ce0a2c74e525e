<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AboutDialog</name>
    <message>
        <source>demo model training text; self-test text</source>
        <translation>演示模型的训练文本；自检文本</translation>
    </message>
    <message>
        <source>demo model training text</source>
        <translation>演示模型的训练文本</translation>
    </message>
    <message>
        <source>CJK font for labels and plots</source>
        <translation>标签和图中的中日韩字体</translation>
    </message>
    <message>
        <source>interpreter</source>
        <translation>解释器</translation>
    </message>
    <message>
        <source>user interface</source>
        <translation>用户界面</translation>
    </message>
    <message>
        <source>word2vec models and training</source>
        <translation>word2vec 模型与训练</translation>
    </message>
    <message>
        <source>Chinese word segmentation (with its dictionary)</source>
        <translation>中文分词（含词典）</translation>
    </message>
    <message>
        <source>arrays</source>
        <translation>数组</translation>
    </message>
    <message>
        <source>used by gensim</source>
        <translation>供 gensim 使用</translation>
    </message>
    <message>
        <source>plots</source>
        <translation>绘图</translation>
    </message>
    <message>
        <source>fast neighbour search</source>
        <translation>快速近邻搜索</translation>
    </message>
    <message>
        <source>linear algebra (inside NumPy, SciPy, faiss)</source>
        <translation>线性代数（NumPy、SciPy、faiss 内部）</translation>
    </message>
    <message>
        <source>encoding detection</source>
        <translation>编码检测</translation>
    </message>
    <message>
        <source>settings and cache folders</source>
        <translation>设置与缓存文件夹</translation>
    </message>
    <message>
        <source>progress in the command line</source>
        <translation>命令行中的进度显示</translation>
    </message>
    <message>
        <source>Open, query, plot and train word2vec models.</source>
        <translation>打开、查询、绘制和训练 word2vec 模型。</translation>
    </message>
    <message>
        <source>Word2Vec Explorer is free software under the MIT licence.</source>
        <translation>词向量探索器是 MIT 许可证下的自由软件。</translation>
    </message>
    <message>
        <source>Data in the built-in demo model</source>
        <translation>内置演示模型所用的数据</translation>
    </message>
    <message>
        <source>Font</source>
        <translation>字体</translation>
    </message>
    <message>
        <source>Its licence and copyright texts:</source>
        <translation>其许可证和版权文本：</translation>
    </message>
    <message>
        <source>Libraries</source>
        <translation>程序库</translation>
    </message>
    <message>
        <source> (double-click app)</source>
        <translation>（双击版应用）</translation>
    </message>
    <message>
        <source>The Qt and gensim libraries are used under the LGPL: in this app they are separate shared libraries and modules that you may replace with your own builds.</source>
        <translation>Qt 和 gensim 库依 LGPL 使用：在本应用中它们是独立的共享库和模块，你可以换成自己编译的版本。</translation>
    </message>
    <message>
        <source>About Word2Vec Explorer</source>
        <translation>关于词向量探索器</translation>
    </message>
</context>
<context>
    <name>CacheDialog</name>
    <message>
        <source>Cache Settings</source>
        <translation>缓存设置</translation>
    </message>
    <message>
        <source>Location:</source>
        <translation>位置：</translation>
    </message>
    <message>
        <source>Holds:</source>
        <translation>占用：</translation>
    </message>
    <message>
        <source>Size limit:</source>
        <translation>大小上限：</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>10 GB, or a quarter of the free disk space when that is less</source>
        <translation>10 GB；若磁盘可用空间的四分之一更小，则取该值</translation>
    </message>
    <message>
        <source>Clear Cache</source>
        <translation>清空缓存</translation>
    </message>
    <message>
        <source>Converted copies of large models open them in a fraction of a second; segmented corpora make a second training on the same files start at once. When the cache grows past its limit, what was used longest ago goes first. Models open now and trainings you can still resume are always kept.</source>
        <translation>大模型转换后的副本让它们在不到一秒内打开；分好词的语料让同一批文件的再次训练立即开始。缓存超过上限时，最久未用的内容先被删除。当前打开的模型和仍可继续的训练始终保留。</translation>
    </message>
    <message>
        <source>The cache never grows past this size</source>
        <translation>缓存不会超过这个大小</translation>
    </message>
    <message>
        <source>%1 in %2 item(s)</source>
        <translation>%1，共 %2 项</translation>
    </message>
    <message>
        <source>Freed %1.</source>
        <translation>已释放 %1。</translation>
    </message>
    <message>
        <source>Kept %1 item(s) in use or resumable.</source>
        <translation>保留了 %1 项正在使用或可继续训练的内容。</translation>
    </message>
</context>
<context>
    <name>CorpusPage</name>
    <message>
        <source>No files yet. Drop text files or a folder here, or add them above.</source>
        <translation>还没有文件。把文本文件或文件夹拖到这里，或用上面的按钮添加。</translation>
    </message>
    <message>
        <source>Reading the files…</source>
        <translation>正在读取文件…</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) will be used (%1, %2).</source>
        <translation>
            <numerusform>将使用 %n 个文件（%1，%2）。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln line(s)</source>
        <translation>
            <numerusform>%Ln 行</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) skipped.</source>
        <translation>
            <numerusform>跳过 %n 个文件。</numerusform>
        </translation>
    </message>
    <message>
        <source>Check %1: lines in UTF-8 and in another encoding are mixed in it (see the Status column).</source>
        <translation>请检查 %1：其中混有 UTF-8 编码的行和另一种编码的行（见“状态”列）。</translation>
    </message>
    <message>
        <source>None of these files can be used for training.</source>
        <translation>这些文件都不能用于训练。</translation>
    </message>
    <message>
        <source>Drop plain-text files (UTF-8, GBK/GB18030, Big5 or UTF-16) or CSV files.</source>
        <translation>请拖入纯文本文件（UTF-8、GBK/GB18030、Big5 或 UTF-16）或 CSV 文件。</translation>
    </message>
    <message>
        <source>used</source>
        <translation>使用</translation>
    </message>
    <message>
        <source>skipped: %1</source>
        <translation>已跳过：%1</translation>
    </message>
    <message>
        <source>check: its lines mix encodings, %1 UTF-8 and %2 %3; each line was decoded in its own encoding</source>
        <translation>请检查：各行编码混杂，%1 为 UTF-8，%2 为 %3；每行已按其自身编码解码</translation>
    </message>
    <message>
        <source>check: %1 of the file could not be decoded</source>
        <translation>请检查：文件中有 %1 无法解码</translation>
    </message>
    <message>
        <source>empty file</source>
        <translation>空文件</translation>
    </message>
    <message>
        <source>binary file</source>
        <translation>二进制文件</translation>
    </message>
    <message>
        <source>Automatic (a review/text column, else the longest)</source>
        <translation>自动（review/text 等列，否则取最长的列）</translation>
    </message>
    <message>
        <source>Add text files</source>
        <translation>添加文本文件</translation>
    </message>
    <message>
        <source>Text and CSV files (*.txt *.text *.csv *.tsv *.gz);;All files (*)</source>
        <translation>文本和 CSV 文件 (*.txt *.text *.csv *.tsv *.gz);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Add a folder of text files</source>
        <translation>添加文本文件夹</translation>
    </message>
    <message>
        <source>Choose a jieba user dictionary</source>
        <translation>选择 jieba 用户词典</translation>
    </message>
    <message>
        <source>Dictionary (*.txt *.dict);;All files (*)</source>
        <translation>词典 (*.txt *.dict);;所有文件 (*)</translation>
    </message>
    <message>
        <source>The text to learn from. Each file&apos;s encoding is detected; files that are empty or not text are skipped. Bytes that still cannot be decoded are replaced and counted.</source>
        <translation>用来学习的文本。每个文件的编码会自动识别；空文件和非文本文件会被跳过；仍无法解码的字节会被替换并计数。</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Encoding</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>行数</translation>
    </message>
    <message>
        <source>Replaced bytes</source>
        <translation>替换的字节</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Add files…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation>添加文件夹…</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Segmentation (jieba)</source>
        <translation>分词（jieba）</translation>
    </message>
    <message>
        <source>CSV text column:</source>
        <translation>CSV 文本列：</translation>
    </message>
    <message>
        <source>Which column of the CSV files holds the text to learn from.</source>
        <translation>CSV 文件中哪一列是要学习的文本。</translation>
    </message>
    <message>
        <source>User dictionary:</source>
        <translation>用户词典：</translation>
    </message>
    <message>
        <source>none (jieba&apos;s own dictionary)</source>
        <translation>无（使用 jieba 自带词典）</translation>
    </message>
    <message>
        <source>A jieba dictionary file, one word per line (word [frequency [tag]]), so domain words stay whole.</source>
        <translation>jieba 词典文件，每行一个词（词 [词频 [词性]]），让领域词语不被切开。</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Remove punctuation</source>
        <translation>去掉标点</translation>
    </message>
    <message>
        <source>Remove stop words (的, 了, 是 …)</source>
        <translation>去掉停用词（的、了、是 …）</translation>
    </message>
    <message>
        <source>Discover new words (jieba&apos;s HMM)</source>
        <translation>发现新词（jieba 的 HMM）</translation>
    </message>
    <message>
        <source>Fast segmenter (rjieba: jieba&apos;s words, about ten times faster)</source>
        <translation>快速分词（rjieba：与 jieba 分词相同，约快十倍）</translation>
    </message>
    <message>
        <source>Segments with the compiled rjieba, which gives the same words as jieba; unchecked, jieba itself.</source>
        <translation>使用编译版 rjieba 分词，结果与 jieba 相同；不勾选则使用 jieba 本身。</translation>
    </message>
    <message>
        <source>Not installed: install rjieba (pip install rjieba) to segment faster.</source>
        <translation>未安装：安装 rjieba（pip install rjieba）即可更快分词。</translation>
    </message>
    <message>
        <source>Lets jieba guess words that are not in its dictionary, such as names; slower, sometimes wrong.</source>
        <translation>让 jieba 猜测词典里没有的词（例如人名）；较慢，偶尔会猜错。</translation>
    </message>
</context>
<context>
    <name>HistoryButton</name>
    <message>
        <source>(no searches yet)</source>
        <translation>（还没有搜索）</translation>
    </message>
    <message>
        <source>Clear History</source>
        <translation>清除历史记录</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史</translation>
    </message>
    <message>
        <source>Recent searches, kept between sessions</source>
        <translation>最近的搜索，关闭程序后仍保留</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Several models were dropped; opening %1.</source>
        <translation>拖入了多个模型，打开 %1。</translation>
    </message>
    <message>
        <source>These .npy files are parts of a model, not a model.</source>
        <translation>这些 .npy 文件只是模型的一部分，不是模型本身。</translation>
    </message>
    <message>
        <source>Drop the main model file (the one without .npy) together with them.</source>
        <translation>请把主模型文件（不以 .npy 结尾的那个）和它们一起拖进来。</translation>
    </message>
    <message>
        <source>This is neither a word2vec model nor a text corpus.</source>
        <translation>这既不是 word2vec 模型，也不是文本语料。</translation>
    </message>
    <message>
        <source>Drop a model file (.model, .bin, .txt, .kv …) to open it, or text files or a folder of them to train a model.</source>
        <translation>拖入模型文件（.model、.bin、.txt、.kv …）即可打开；拖入文本文件或文件夹即可训练模型。</translation>
    </message>
    <message>
        <source>There is no interrupted training to resume.</source>
        <translation>没有可以继续的中断训练。</translation>
    </message>
    <message>
        <source>A training started from this window is checkpointed after every epoch; if it is stopped before it ends, it appears here.</source>
        <translation>在本窗口开始的训练每轮结束都会保存检查点；如果训练在完成前停止，会出现在这里。</translation>
    </message>
    <message>
        <source>Resume an interrupted training</source>
        <translation>继续中断的训练</translation>
    </message>
    <message>
        <source>Continue from its last finished epoch:</source>
        <translation>从最后完成的一轮继续：</translation>
    </message>
    <message>
        <source>A training is running in the training window.</source>
        <translation>训练窗口中正有一个训练在运行。</translation>
    </message>
    <message>
        <source>Wait for it to end or cancel it, then resume the other one.</source>
        <translation>请等它结束或取消它，再继续另一个训练。</translation>
    </message>
    <message>
        <source>Word2Vec Explorer</source>
        <translation>词向量探索器</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>转到(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Open Model…</source>
        <translation>打开模型(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Train a Model from Text…</source>
        <translation>用文本训练模型(&amp;T)…</translation>
    </message>
    <message>
        <source>&amp;Resume an Interrupted Training…</source>
        <translation>继续中断的训练(&amp;R)…</translation>
    </message>
    <message>
        <source>Export Results as &amp;CSV…</source>
        <translation>导出结果为 CSV(&amp;C)…</translation>
    </message>
    <message>
        <source>Export &amp;Plot as PNG/SVG…</source>
        <translation>导出图为 PNG/SVG(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Copy Results</source>
        <translation>复制结果(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>搜索(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Back</source>
        <translation>后退(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Forward</source>
        <translation>前进(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;About Word2Vec Explorer</source>
        <translation>关于词向量探索器(&amp;A)</translation>
    </message>
    <message>
        <source>Cache &amp;Settings…</source>
        <translation>缓存设置(&amp;S)…</translation>
    </message>
    <message>
        <source>Follow the System</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Plot</source>
        <translation>图</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>&amp;Plot</source>
        <translation>绘图(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation>模型(&amp;M)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop opening this model; the current one stays open.</source>
        <translation>停止打开这个模型；当前模型仍然可用。</translation>
    </message>
    <message>
        <source>(none yet)</source>
        <translation>（暂无）</translation>
    </message>
    <message>
        <source>Clear the List</source>
        <translation>清空列表</translation>
    </message>
    <message>
        <source>Open a word2vec model</source>
        <translation>打开 word2vec 模型</translation>
    </message>
    <message>
        <source>All files</source>
        <translation>所有文件</translation>
    </message>
    <message>
        <source>Choose text files to train on</source>
        <translation>选择用于训练的文本文件</translation>
    </message>
    <message>
        <source>Text files</source>
        <translation>文本文件</translation>
    </message>
    <message>
        <source>Word2vec models (recognised by content)</source>
        <translation>Word2vec 模型（按内容识别）</translation>
    </message>
</context>
<context>
    <name>ModelPanel</name>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Format code</source>
        <translation>格式代码</translation>
    </message>
    <message>
        <source>Written by gensim</source>
        <translation>写入的 gensim 版本</translation>
    </message>
    <message>
        <source>Python pickle protocol</source>
        <translation>Python pickle 协议</translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation>词汇量</translation>
    </message>
    <message>
        <source>Dimensions</source>
        <translation>维度</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>架构</translation>
    </message>
    <message>
        <source>skip-gram</source>
        <translation>skip-gram</translation>
    </message>
    <message>
        <source>CBOW</source>
        <translation>CBOW</translation>
    </message>
    <message>
        <source>Hierarchical softmax</source>
        <translation>层次 softmax</translation>
    </message>
    <message>
        <source>Negative samples</source>
        <translation>负采样数</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Minimum count</source>
        <translation>最小词频</translation>
    </message>
    <message>
        <source>Down-sampling</source>
        <translation>高频词降采样</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>训练轮数</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Corpus words</source>
        <translation>语料词数</translation>
    </message>
    <message>
        <source>Corpus sentences</source>
        <translation>语料句数</translation>
    </message>
    <message>
        <source>Real word counts</source>
        <translation>真实词频</translation>
    </message>
    <message>
        <source>Output layer</source>
        <translation>输出层</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Replaced bytes</source>
        <translation>替换的字节</translation>
    </message>
    <message>
        <source>Opened from cache</source>
        <translation>从缓存打开</translation>
    </message>
    <message>
        <source>Other stored parameters</source>
        <translation>其他保存的参数</translation>
    </message>
    <message>
        <source>Python class</source>
        <translation>Python 类</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>hierarchical softmax (syn1)</source>
        <translation>层次 softmax（syn1）</translation>
    </message>
    <message>
        <source>negative sampling (syn1neg)</source>
        <translation>负采样（syn1neg）</translation>
    </message>
    <message>
        <source>none: “words that appear around it” is unavailable</source>
        <translation>无：“上下文词”不可用</translation>
    </message>
    <message>
        <source>Property</source>
        <translation>属性</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>No model open yet.</source>
        <translation>尚未打开模型。</translation>
    </message>
</context>
<context>
    <name>ParamsPage</name>
    <message>
        <source>Save the trained model as</source>
        <translation>训练好的模型另存为</translation>
    </message>
    <message>
        <source>gensim model (*.model);;All files (*)</source>
        <translation>gensim 模型 (*.model);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Continue training the open model (%1)</source>
        <translation>在已打开的模型上继续训练（%1）</translation>
    </message>
    <message>
        <source>Keep the words it already knows fixed, learn only the new words</source>
        <translation>已认识的词保持不变，只学习新词</translation>
    </message>
    <message>
        <source>The open model has no output layer (it holds only word vectors), so it cannot be trained further. Open a full gensim model to continue training it.</source>
        <translation>已打开的模型没有输出层（只有词向量），无法继续训练。请打开完整的 gensim 模型再继续训练。</translation>
    </message>
    <message>
        <source>Continuing keeps the model&apos;s architecture and dimensions; the drift report shows afterwards how the known words&apos; neighbours moved.</source>
        <translation>继续训练会沿用模型的结构和维数；训练后的漂移报告会显示已知词的近邻变化了多少。</translation>
    </message>
    <message>
        <source>Corpus</source>
        <translation>语料</translation>
    </message>
    <message>
        <source>Words kept</source>
        <translation>保留的词</translation>
    </message>
    <message>
        <source>Coverage</source>
        <translation>覆盖率</translation>
    </message>
    <message>
        <source>they make up %1% of the corpus</source>
        <translation>占语料的 %1%</translation>
    </message>
    <message>
        <source>Thinning</source>
        <translation>降采样</translation>
    </message>
    <message>
        <source>The recipe of the large model this app was first built for: skip-gram with hierarchical softmax, 256 dimensions, only words seen 64 times or more. Made for a big corpus (hundreds of MB of text); on a small one it keeps too few words.</source>
        <translation>本程序最初所针对的大模型的配方：跳字模型加层次 softmax，256 维，只保留出现 64 次及以上的词。适合大语料（数百 MB 文本）；用在小语料上保留的词太少。</translation>
    </message>
    <message>
        <source>For a small corpus (a novel, a few MB of reviews): 100 dimensions, words seen 5 times or more, 5 passes. Trains in minutes; a good first try.</source>
        <translation>适合小语料（一部小说、几 MB 的评论）：100 维，保留出现 5 次及以上的词，遍历 5 轮。几分钟即可训练完，适合第一次尝试。</translation>
    </message>
    <message>
        <source>Your own settings: the values below match no preset.</source>
        <translation>自定义设置：下面的数值与任何预设都不同。</translation>
    </message>
    <message numerus="yes">
        <source>%Ln word(s) in %1, %2 distinct</source>
        <translation>
            <numerusform>%Ln 个词，%1，其中不同的词 %2 个</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln sentence(s)</source>
        <translation>
            <numerusform>%Ln 句</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 (words seen at least %n time(s))</source>
        <translation>
            <numerusform>%1 个（出现至少 %n 次的词）</numerusform>
        </translation>
    </message>
    <message>
        <source>&lt;i&gt;sample&lt;/i&gt; keeps %1% of their occurrences</source>
        <translation>&lt;i&gt;sample&lt;/i&gt; 保留这些词 %1% 的出现</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <source>about %1 for the model</source>
        <translation>模型约需 %1</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>about %1 (at ~%2 words/s)</source>
        <translation>约 %1（按每秒约 %2 词）</translation>
    </message>
    <message numerus="yes">
        <source>Only %Ln word(s) are kept: too few for useful neighbours.</source>
        <translation>
            <numerusform>只保留了 %Ln 个词：太少，得不到有用的近义词。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Lower min_count to %1 to keep %Ln word(s).</source>
        <translation>
            <numerusform>把 min_count 降到 %1 可保留 %Ln 个词。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The corpus has only %Ln distinct word(s): add more text.</source>
        <translation>
            <numerusform>语料中只有 %Ln 个不同的词：请加入更多文本。</numerusform>
        </translation>
    </message>
    <message>
        <source>Skip-gram</source>
        <translation>跳字模型</translation>
    </message>
    <message>
        <source>Hierarchical softmax</source>
        <translation>层次 softmax</translation>
    </message>
    <message>
        <source>Negative samples</source>
        <translation>负采样数</translation>
    </message>
    <message>
        <source>Dimensions</source>
        <translation>维度</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Minimum count</source>
        <translation>最小词频</translation>
    </message>
    <message>
        <source>Sample</source>
        <translation>降采样阈值</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>训练轮数</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Final learning rate</source>
        <translation>最终学习率</translation>
    </message>
    <message>
        <source>Worker threads</source>
        <translation>线程数</translation>
    </message>
    <message>
        <source>Random seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Vocabulary cap</source>
        <translation>词表上限</translation>
    </message>
    <message>
        <source>Shrink windows</source>
        <translation>随机缩小窗口</translation>
    </message>
    <message>
        <source>Track loss</source>
        <translation>记录损失</translation>
    </message>
    <message>
        <source>Preset:</source>
        <translation>预设：</translation>
    </message>
    <message>
        <source>Seed recipe</source>
        <translation>种子配方</translation>
    </message>
    <message>
        <source>Quick look</source>
        <translation>快速试看</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>Save as:</source>
        <translation>保存为：</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Continue training</source>
        <translation>继续训练</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Preview (segment and count words)</source>
        <translation>预览（分词并统计词频）</translation>
    </message>
    <message>
        <source>Segments the corpus (cached for training) and counts its words; afterwards the preview follows every change of the parameters at once.</source>
        <translation>对语料分词（结果会缓存供训练使用）并统计词频；之后每次修改参数，预览都会立即更新。</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
</context>
<context>
    <name>PlotPanel</name>
    <message>
        <source>Export the plot</source>
        <translation>导出图</translation>
    </message>
    <message>
        <source>PNG image</source>
        <translation>PNG 图片</translation>
    </message>
    <message>
        <source>model: %1</source>
        <translation>模型：%1</translation>
    </message>
    <message>
        <source>SVG drawing</source>
        <translation>SVG 矢量图</translation>
    </message>
    <message>
        <source>Could not save the plot: %1</source>
        <translation>无法保存图：%1</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>PCA, %1% of the variance shown</source>
        <translation>PCA，显示了 %1% 的方差</translation>
    </message>
    <message>
        <source>background: %1 most frequent words</source>
        <translation>背景：%1 个最常见的词</translation>
    </message>
    <message>
        <source>Open a model (File &gt; Open Model…, or drop a file here) to plot its words.</source>
        <translation>打开一个模型（文件 &gt; 打开模型…，或把文件拖到这里），即可绘制它的词。</translation>
    </message>
    <message>
        <source>Nothing to plot yet. Search for a word to see it among its nearest neighbours, or tick Background to map the most frequent words.</source>
        <translation>还没有可绘制的内容。搜索一个词，即可看到它和最近邻的位置；或勾选“背景”，绘制最常用词的分布图。</translation>
    </message>
    <message>
        <source>Background: most frequent words</source>
        <translation>背景：最常见的词</translation>
    </message>
    <message>
        <source>Show the K most frequent words behind the results, on a map that stays put between queries.</source>
        <translation>在结果后面显示 K 个最常见的词，这张图在查询之间保持不变。</translation>
    </message>
    <message>
        <source>How many of the most frequent words to show</source>
        <translation>显示多少个最常见的词</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>适应</translation>
    </message>
    <message>
        <source>Zoom to the results</source>
        <translation>缩放到结果</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Save the plot as PNG or SVG</source>
        <translation>把图保存为 PNG 或 SVG</translation>
    </message>
</context>
<context>
    <name>ProgressPage</name>
    <message>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <source>%1 words/s</source>
        <translation>每秒 %1 词</translation>
    </message>
    <message>
        <source>About %1 left</source>
        <translation>约剩 %1</translation>
    </message>
    <message>
        <source>Epoch %1 of %2 done in %3 s, %4 effective words/s</source>
        <translation>第 %1/%2 轮完成，用时 %3 秒，每秒 %4 个有效词</translation>
    </message>
    <message>
        <source>, loss %1</source>
        <translation>，损失 %1</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Training stopped: %1</source>
        <translation>训练停止：%1</translation>
    </message>
    <message>
        <source>Done.</source>
        <translation>完成。</translation>
    </message>
    <message>
        <source>Cancelled. The model was not saved.</source>
        <translation>已取消。模型没有保存。</translation>
    </message>
    <message numerus="yes">
        <source>Cancelled. The model was not saved yet, but its %n finished epoch(s) are kept: Resume continues from there, now or later from File &gt; Resume an Interrupted Training.</source>
        <translation>
            <numerusform>已取消。模型尚未保存，但已完成的 %n 轮训练保留了下来：点“继续”可从那里接着训练，也可以以后通过“文件 &gt; 继续中断的训练”继续。</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancelled before the first epoch ended, so the model was not saved. Its settings are kept: Resume starts it again, now or later from File &gt; Resume an Interrupted Training.</source>
        <translation>在第一轮结束前已取消，所以模型没有保存。训练设置保留了下来：点“继续”可重新开始，也可以以后通过“文件 &gt; 继续中断的训练”重新开始。</translation>
    </message>
    <message>
        <source>The open model is unchanged.</source>
        <translation>已打开的模型没有改变。</translation>
    </message>
    <message>
        <source>Cancelled. The finished epochs were discarded; nothing was saved.</source>
        <translation>已取消。已完成的各轮已丢弃，没有保存任何内容。</translation>
    </message>
    <message>
        <source>Saved %1 (%2, %3, %4).</source>
        <translation>已保存 %1（%2，%3，%4）。</translation>
    </message>
    <message numerus="yes">
        <source>%Ln word(s)</source>
        <translation>
            <numerusform>%Ln 个词</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n epoch(s)</source>
        <translation>
            <numerusform>%n 轮</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln new word(s) learned.</source>
        <translation>
            <numerusform>学到了 %Ln 个新词。</numerusform>
        </translation>
    </message>
    <message>
        <source>Checked the %1 most frequent old words: on average %2% of their top-%3 neighbours stayed.</source>
        <translation>检查了 %1 个最常见的旧词：平均 %2% 的前 %3 个近邻保持不变。</translation>
    </message>
    <message>
        <source>Elapsed %1</source>
        <translation>已用 %1</translation>
    </message>
    <message>
        <source>Cancel training</source>
        <translation>取消训练</translation>
    </message>
    <message>
        <source>Open the model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Continue this training from its last finished epoch.</source>
        <translation>从最后完成的一轮接着训练。</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <source>Forget the finished epochs of this training.</source>
        <translation>丢弃这次训练已完成的各轮。</translation>
    </message>
    <message>
        <source>Open the model when done</source>
        <translation>完成后打开模型</translation>
    </message>
    <message>
        <source>How the known words moved</source>
        <translation>已知词的变化</translation>
    </message>
    <message>
        <source>Word</source>
        <translation>词</translation>
    </message>
    <message>
        <source>Top-10 kept</source>
        <translation>前 10 近邻保留</translation>
    </message>
    <message>
        <source>Neighbours before → after</source>
        <translation>近邻：之前 → 之后</translation>
    </message>
    <message>
        <source>Epoch</source>
        <translation>轮</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
</context>
<context>
    <name>QPlatformTheme</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>ResultsModel</name>
    <message>
        <source>How often the word occurs in the training text; words seen fewer than %1 times have noisy vectors and are marked</source>
        <translation>这个词在训练文本中出现的次数；出现少于 %1 次的词向量不可靠，会被标出</translation>
    </message>
    <message>
        <source>%1 (rare)</source>
        <translation>%1（罕见）</translation>
    </message>
    <message>
        <source>Seen only %1 times in training: its vector is noisy, so treat this result with care.</source>
        <translation>训练中只出现了 %1 次：它的向量不可靠，请谨慎看待这个结果。</translation>
    </message>
</context>
<context>
    <name>ResumeNotice</name>
    <message>
        <source>A training was interrupted: %1.</source>
        <translation>有一个训练被中断了：%1。</translation>
    </message>
    <message numerus="yes">
        <source>%n more can be resumed from File &gt; Resume an Interrupted Training.</source>
        <translation>
            <numerusform>另有 %n 个可以通过“文件 &gt; 继续中断的训练”继续。</numerusform>
        </translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>以后再说</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <source>There are no results to export yet.</source>
        <translation>还没有可导出的结果。</translation>
    </message>
    <message>
        <source>Export results</source>
        <translation>导出结果</translation>
    </message>
    <message>
        <source>CSV files</source>
        <translation>CSV 文件</translation>
    </message>
    <message>
        <source>Could not save %1: %2</source>
        <translation>无法保存 %1：%2</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>No model is open yet.</source>
        <translation>尚未打开模型。</translation>
    </message>
    <message>
        <source>“%1” is not in this model&apos;s vocabulary.</source>
        <translation>“%1”不在这个模型的词汇表中。</translation>
    </message>
    <message>
        <source>Did you mean:</source>
        <translation>你是不是要找：</translation>
    </message>
    <message>
        <source>Segmented into: %1</source>
        <translation>分词结果：%1</translation>
    </message>
    <message>
        <source>not in the vocabulary, ignored: %1</source>
        <translation>不在词汇表中，已忽略：%1</translation>
    </message>
    <message>
        <source>Search (Ctrl+Enter)</source>
        <translation>搜索 (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Enter starts a new line; Ctrl+Enter searches</source>
        <translation>Enter 换行；Ctrl+Enter 搜索</translation>
    </message>
    <message>
        <source>Search (Enter)</source>
        <translation>搜索 (Enter)</translation>
    </message>
    <message>
        <source>These results are for “%1”, not for what the box says now. Press Enter to search.</source>
        <translation>下面是“%1”的结果，不是输入框里现在的内容。按 Enter 搜索。</translation>
    </message>
    <message>
        <source> and </source>
        <translation>和</translation>
    </message>
    <message>
        <source>%1 need the model&apos;s output layer, and this file has none (only a full gensim model, saved with model.save(), keeps it). Open a full model to use them.</source>
        <translation>%1需要模型的输出层，而这个文件没有（只有用 model.save() 保存的完整 gensim 模型才有）。请打开完整模型以使用它们。</translation>
    </message>
    <message>
        <source>%1 are unavailable: this file has no output layer, only word vectors.</source>
        <translation>%1不可用：这个文件没有输出层，只有词向量。</translation>
    </message>
    <message>
        <source>Top</source>
        <translation>前</translation>
    </message>
    <message>
        <source>How many results to show</source>
        <translation>显示多少个结果</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Back (Alt+Left)</source>
        <translation>后退（Alt+左）</translation>
    </message>
    <message>
        <source>Forward (Alt+Right)</source>
        <translation>前进（Alt+右）</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the results as tab-separated text</source>
        <translation>把结果复制为制表符分隔的文本</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Double-click a word to search it</source>
        <translation>双击一个词来搜索它</translation>
    </message>
</context>
<context>
    <name>TrainingDialog</name>
    <message>
        <source>The corpus or its options changed: preview again.</source>
        <translation>语料或分词选项已更改：请重新预览。</translation>
    </message>
    <message>
        <source>No usable text files: go back and add some.</source>
        <translation>没有可用的文本文件：请返回添加。</translation>
    </message>
    <message>
        <source>Segmenting the corpus…</source>
        <translation>正在对语料分词…</translation>
    </message>
    <message>
        <source>The cache folder cannot be written, so the segmented text is kept in %1 this time.</source>
        <translation>缓存文件夹无法写入，本次分词结果暂存于 %1。</translation>
    </message>
    <message>
        <source>There is no usable text to train on.</source>
        <translation>没有可用于训练的文本。</translation>
    </message>
    <message>
        <source>Add text files or a folder on the first page.</source>
        <translation>请在第一页添加文本文件或文件夹。</translation>
    </message>
    <message>
        <source>Choose where to save the model.</source>
        <translation>请选择模型的保存位置。</translation>
    </message>
    <message>
        <source>Type a file name next to “Save as”.</source>
        <translation>请在“保存为”旁输入文件名。</translation>
    </message>
    <message>
        <source>%1 is a folder.</source>
        <translation>%1 是一个文件夹。</translation>
    </message>
    <message>
        <source>Type a file name for the model, such as word2vec.model.</source>
        <translation>请为模型输入文件名，例如 word2vec.model。</translation>
    </message>
    <message>
        <source>Replace the file?</source>
        <translation>替换文件？</translation>
    </message>
    <message>
        <source>%1 already exists. Replace it with the new model?</source>
        <translation>%1 已存在。用新模型替换它吗？</translation>
    </message>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation>无法创建文件夹 %1。</translation>
    </message>
    <message>
        <source>Choose another place next to “Save as” (%1).</source>
        <translation>请在“保存为”处选择别的位置（%1）。</translation>
    </message>
    <message>
        <source>These are the settings of the training being resumed, which saves to %1; they cannot change now. To train with other settings, start a new training.</source>
        <translation>这是正在继续的训练（保存到 %1）的设置，现在不能更改。要用其他设置训练，请开始一次新的训练。</translation>
    </message>
    <message>
        <source>It continues training %1.</source>
        <translation>它在 %1 的基础上继续训练。</translation>
    </message>
    <message>
        <source>The preview is for new trainings; this one already started.</source>
        <translation>预览只用于新的训练；这个训练已经开始了。</translation>
    </message>
    <message>
        <source>This training can no longer be resumed.</source>
        <translation>这个训练已无法继续。</translation>
    </message>
    <message>
        <source>Its checkpoint is gone; start a new training.</source>
        <translation>它的检查点已不存在；请开始一次新的训练。</translation>
    </message>
    <message>
        <source>Discard the finished epochs?</source>
        <translation>丢弃已完成的各轮？</translation>
    </message>
    <message>
        <source>The finished epochs of this training are deleted and it can no longer be resumed.</source>
        <translation>这次训练已完成的各轮将被删除，之后无法再继续。</translation>
    </message>
    <message>
        <source>Stop training?</source>
        <translation>停止训练？</translation>
    </message>
    <message>
        <source>A model is being trained. Stop the training and close? The finished epochs are kept: File &gt; Resume an Interrupted Training continues it.</source>
        <translation>正在训练模型。要停止训练并关闭吗？已完成的轮次会保留：可通过 文件 &gt; 继续中断的训练 接着训练。</translation>
    </message>
    <message>
        <source>Train a model</source>
        <translation>训练模型</translation>
    </message>
    <message>
        <source>1 Corpus</source>
        <translation>1 语料</translation>
    </message>
    <message>
        <source>2 Parameters and preview</source>
        <translation>2 参数与预览</translation>
    </message>
    <message>
        <source>3 Training</source>
        <translation>3 训练</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>上一步</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>开始训练</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>TrainingResume</name>
    <message numerus="yes">
        <source>%1 — %2 of %n epoch(s) done, stopped %3</source>
        <translation>
            <numerusform>%1 — 已完成 %2/%n 轮，停止于 %3</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>help</name>
    <message>
        <source>Type a word: the words used in the most similar contexts come first. A phrase or a word the model lacks is split into words it knows, and their average is searched.</source>
        <translation>输入一个词：上下文最相似的词排在最前。短语或模型里没有的词会被切分成模型认识的词，再搜索它们的平均。</translation>
    </message>
    <message>
        <source>B is to A as C is to what? The answer is the word nearest to A − B + C.</source>
        <translation>B 之于 A，相当于 C 之于什么？答案是最接近 A − B + C 的词。</translation>
    </message>
    <message>
        <source>How close two words are, from −1 to 1; the plot shows each word among its own neighbours.</source>
        <translation>两个词有多接近，取值 −1 到 1；图中显示每个词和它自己的近义词。</translation>
    </message>
    <message>
        <source>Type three or more words: the one least like the others is named.</source>
        <translation>输入三个或更多的词：找出和其他词最不像的那个。</translation>
    </message>
    <message>
        <source>The words the model expects next to this word in a sentence (its output layer, not its vector).</source>
        <translation>模型预测在句子中出现在这个词旁边的词（使用输出层，而不是词向量）。</translation>
    </message>
    <message>
        <source>Paste a sentence and press Ctrl+Enter: its words ranked by how much they say about it; stop words such as 的 and 很 are left out unless you choose “All words”.</source>
        <translation>粘贴一句话并按 Ctrl+Enter：按各个词对这句话的代表程度排序；除非选择“所有词”，“的”“很”等停用词会被略去。</translation>
    </message>
    <message>
        <source>Choose a mode on the left of the search row, type, and press Enter. Double-click a result to search it. Results of words seen rarely in training are marked (rare): their vectors are noisy.</source>
        <translation>在搜索栏左边选择模式，输入后按 Enter。双击结果可以继续搜索它。训练中很少出现的词会标为（罕见）：它们的向量不可靠。</translation>
    </message>
    <message>
        <source>How to use Word2Vec Explorer</source>
        <translation>如何使用词向量探索器</translation>
    </message>
    <message>
        <source>Try it on this model:</source>
        <translation>在当前模型上试试：</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>Enter</translation>
    </message>
    <message>
        <source>Find the keywords of a pasted sentence</source>
        <translation>找出所粘贴句子的关键词</translation>
    </message>
    <message>
        <source>Search a result word</source>
        <translation>搜索结果中的词</translation>
    </message>
    <message>
        <source>Double-click, or Enter on the row</source>
        <translation>双击，或在该行按 Enter</translation>
    </message>
    <message>
        <source>Copy the selected results</source>
        <translation>复制选中的结果</translation>
    </message>
    <message>
        <source>Accept a completion</source>
        <translation>接受补全</translation>
    </message>
    <message>
        <source>Down, then Enter</source>
        <translation>按下方向键，再按 Enter</translation>
    </message>
    <message>
        <source>Guide</source>
        <translation>使用指南</translation>
    </message>
    <message>
        <source>Keyboard Shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <source>&amp;Guide</source>
        <translation>使用指南(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
</context>
<context>
    <name>messages</name>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Cannot open the model</source>
        <translation>无法打开模型</translation>
    </message>
    <message>
        <source>Unsafe file refused</source>
        <translation>已拒绝不安全的文件</translation>
    </message>
    <message>
        <source>Cannot answer</source>
        <translation>无法回答</translation>
    </message>
    <message>
        <source>Cannot read the corpus</source>
        <translation>无法读取语料</translation>
    </message>
    <message>
        <source>Training failed</source>
        <translation>训练失败</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Cache problem</source>
        <translation>缓存问题</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>Word2Vec Explorer</source>
        <translation>词向量探索器</translation>
    </message>
    <message>
        <source>The details were written to the log. Please report it.</source>
        <translation>详细信息已写入日志，请报告这个问题。</translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation>正在打开 %1…</translation>
    </message>
    <message>
        <source>Opening %1 was cancelled.</source>
        <translation>已取消打开 %1。</translation>
    </message>
    <message>
        <source>Preparing the search…</source>
        <translation>正在准备搜索…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <source>No model open. Use File &gt; Open or drop a model file here.</source>
        <translation>尚未打开模型。请用“文件 &gt; 打开”，或把模型文件拖到这里。</translation>
    </message>
    <message>
        <source>word2vec C binary</source>
        <translation>word2vec C 二进制格式</translation>
    </message>
    <message>
        <source>word2vec C text</source>
        <translation>word2vec C 文本格式</translation>
    </message>
    <message>
        <source>word2vec text without a header line</source>
        <translation>无首行的 word2vec 文本格式</translation>
    </message>
    <message>
        <source>gensim %1 Word2Vec model</source>
        <translation>gensim %1 Word2Vec 模型</translation>
    </message>
    <message>
        <source>gensim %1 KeyedVectors</source>
        <translation>gensim %1 KeyedVectors（词向量）</translation>
    </message>
    <message>
        <source>%1 · %2 words × %3 dimensions · %4</source>
        <translation>%1 · %2 个词 × %3 维 · %4</translation>
    </message>
</context>
<context>
    <name>modes</name>
    <message>
        <source>Similar words</source>
        <translation>近义词</translation>
    </message>
    <message>
        <source>The words whose vectors are closest (cosine)</source>
        <translation>向量最接近（余弦）的词</translation>
    </message>
    <message>
        <source>Type a word or a phrase, e.g. %1</source>
        <translation>输入一个词或短语，例如 %1</translation>
    </message>
    <message>
        <source>Similarity</source>
        <translation>相似度</translation>
    </message>
    <message>
        <source>Analogy</source>
        <translation>类比</translation>
    </message>
    <message>
        <source>“%1” is not in the vocabulary. Showing the words nearest to the average of: %2</source>
        <translation>“%1”不在词表中。下面是与这些词的平均最接近的词：%2</translation>
    </message>
    <message>
        <source>A − B + C: B is to A as C is to what?</source>
        <translation>A − B + C：B 之于 A，相当于 C 之于什么？</translation>
    </message>
    <message>
        <source>A, e.g. %1</source>
        <translation>A，例如 %1</translation>
    </message>
    <message>
        <source>B, e.g. %1</source>
        <translation>B，例如 %1</translation>
    </message>
    <message>
        <source>C, e.g. %1</source>
        <translation>C，例如 %1</translation>
    </message>
    <message>
        <source>Fill in all three words: A − B + C.</source>
        <translation>请填写三个词：A − B + C。</translation>
    </message>
    <message>
        <source>3CosAdd adds and subtracts vectors; 3CosMul (Levy &amp; Goldberg) multiplies similarities and is often more accurate</source>
        <translation>3CosAdd 对向量做加减；3CosMul（Levy &amp; Goldberg）把相似度相乘，通常更准确</translation>
    </message>
    <message>
        <source>Similarity of %1 and %2: %3</source>
        <translation>%1 和 %2 的相似度：%3</translation>
    </message>
    <message>
        <source>The cosine similarity of two words</source>
        <translation>两个词的余弦相似度</translation>
    </message>
    <message>
        <source>first word</source>
        <translation>第一个词</translation>
    </message>
    <message>
        <source>second word</source>
        <translation>第二个词</translation>
    </message>
    <message>
        <source>Type two words to compare.</source>
        <translation>请输入两个要比较的词。</translation>
    </message>
    <message>
        <source>The odd one out: %1</source>
        <translation>不合群的词：%1</translation>
    </message>
    <message>
        <source>Odd one out</source>
        <translation>找不同</translation>
    </message>
    <message>
        <source>Which word does not belong with the others</source>
        <translation>哪个词和其他词不是一类</translation>
    </message>
    <message>
        <source>words separated by spaces, e.g. %1</source>
        <translation>用空格分隔的词，例如 %1</translation>
    </message>
    <message>
        <source>Similarity to the rest</source>
        <translation>与其余词的相似度</translation>
    </message>
    <message>
        <source>Type three or more words, separated by spaces.</source>
        <translation>请输入三个或更多的词，用空格分隔。</translation>
    </message>
    <message>
        <source>Words around it</source>
        <translation>上下文词</translation>
    </message>
    <message>
        <source>The words the model predicts in the context of a word (uses the output layer)</source>
        <translation>模型预测会出现在这个词周围的词（使用输出层）</translation>
    </message>
    <message>
        <source>a word, e.g. 吃</source>
        <translation>一个词，例如 吃</translation>
    </message>
    <message>
        <source>Probability</source>
        <translation>概率</translation>
    </message>
    <message>
        <source>Keywords</source>
        <translation>关键词</translation>
    </message>
    <message>
        <source>The words that best summarise a pasted sentence (uses the output layer)</source>
        <translation>最能概括所粘贴句子的词（使用输出层）</translation>
    </message>
    <message>
        <source>Paste a sentence or a paragraph</source>
        <translation>粘贴一个句子或一段文字</translation>
    </message>
    <message>
        <source>Keyword</source>
        <translation>关键词</translation>
    </message>
    <message>
        <source>How much better this word predicts the sentence&apos;s other words than an ordinary word does (output layer, mean log-probability); higher says more about this sentence</source>
        <translation>这个词预测句中其他词的能力比普通词强多少（输出层，平均对数概率）；越高越能代表这句话</translation>
    </message>
    <message>
        <source>Skip stop words</source>
        <translation>略去停用词</translation>
    </message>
    <message>
        <source>All words</source>
        <translation>所有词</translation>
    </message>
    <message>
        <source>Stop words (的, 很, 也, 好, 还 …) say little about a sentence&apos;s topic</source>
        <translation>停用词（的、很、也、好、还 …）几乎不说明句子的主题</translation>
    </message>
    <message>
        <source>Paste a sentence or a paragraph.</source>
        <translation>请粘贴一个句子或一段文字。</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>Word</source>
        <translation>词</translation>
    </message>
    <message>
        <source>Type a word or a phrase.</source>
        <translation>请输入一个词或短语。</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>词频</translation>
    </message>
    <message>
        <source>Frequency rank</source>
        <translation>词频排名</translation>
    </message>
</context>
<context>
    <name>stages</name>
    <message>
        <source>Opening the model…</source>
        <translation>正在打开模型…</translation>
    </message>
    <message>
        <source>Reading the model…</source>
        <translation>正在读取模型…</translation>
    </message>
    <message>
        <source>Reading the vectors…</source>
        <translation>正在读取词向量…</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>已打开</translation>
    </message>
    <message>
        <source>Opened from the cache</source>
        <translation>已从缓存打开</translation>
    </message>
    <message>
        <source>Writing…</source>
        <translation>正在写入…</translation>
    </message>
    <message>
        <source>Computing vector lengths…</source>
        <translation>正在计算向量长度…</translation>
    </message>
    <message>
        <source>Indexing the vocabulary…</source>
        <translation>正在为词表建立索引…</translation>
    </message>
    <message>
        <source>Building the search index…</source>
        <translation>正在建立搜索索引…</translation>
    </message>
    <message>
        <source>Finding neighbours…</source>
        <translation>正在查找近义词…</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Finding files…</source>
        <translation>正在查找文件…</translation>
    </message>
    <message>
        <source>Reading the corpus…</source>
        <translation>正在读取语料…</translation>
    </message>
    <message>
        <source>Segmenting words…</source>
        <translation>正在分词…</translation>
    </message>
    <message>
        <source>Building the vocabulary…</source>
        <translation>正在建立词表…</translation>
    </message>
    <message>
        <source>Preparing the training…</source>
        <translation>正在准备训练…</translation>
    </message>
    <message>
        <source>Training: epoch %1 of %2</source>
        <translation>训练中：第 %1/%2 轮</translation>
    </message>
    <message>
        <source>Saving the model…</source>
        <translation>正在保存模型…</translation>
    </message>
    <message>
        <source>Projecting %1 words…</source>
        <translation>正在投影 %1 个词…</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>正在搜索…</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>处理中…</translation>
    </message>
    <message>
        <source>Answering analogy questions…</source>
        <translation>正在回答类比题…</translation>
    </message>
    <message>
        <source>Scoring word similarity…</source>
        <translation>正在计算词语相似度…</translation>
    </message>
    <message>
        <source>Aligning the two models…</source>
        <translation>正在对齐两个模型…</translation>
    </message>
</context>
</TS>
