<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CanvasTools</name>
    <message>
        <source>Pen width</source>
        <extracomment>Page Up/Down on the pen-width slider changes the width by this many page pixels. The pen width (page pixels) changed.</extracomment>
        <translation>笔的粗细</translation>
    </message>
    <message>
        <source>{width} px</source>
        <translation>{width} 像素</translation>
    </message>
    <message>
        <source>Eraser</source>
        <translation>橡皮</translation>
    </message>
    <message>
        <source>Strokes erase instead of drawing (E)</source>
        <translation>笔画变为擦除而不是画（E）</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Undo the last stroke (Ctrl+Z)</source>
        <translation>撤销上一笔（Ctrl+Z）</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>Redo (Ctrl+Shift+Z or Ctrl+Y)</source>
        <translation>重做（Ctrl+Shift+Z 或 Ctrl+Y）</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Erase the page (Delete, Esc or right-click)</source>
        <translation>清空画板（Delete、Esc 或右键）</translation>
    </message>
    <message>
        <source>Pen</source>
        <translation>笔</translation>
    </message>
    <message>
        <source>{width} pixels wide</source>
        <translation>粗 {width} 像素</translation>
    </message>
</context>
<context>
    <name>DrawPanel</name>
    <message>
        <source>Draw tab status</source>
        <extracomment>10 class probabilities (np.ndarray, float) after each (throttled) canvas change, or None when the canvas is empty or no model is set. Emitted on the UI thread. The user asked for a random MNIST test digit (the window owns the data). A user-facing error message (unreadable image file...); also shown in the status line. The pen width (page pixels) changed, e.g. to remember it in QSettings. The user says the drawing is this digit (digit key on the canvas or a bar clicked).</extracomment>
        <translation>画数字页的状态</translation>
    </message>
    <message>
        <source>Random test image</source>
        <translation>随机测试图片</translation>
    </message>
    <message>
        <source>Put a random MNIST test image on the page</source>
        <translation>把一张随机的 MNIST 测试图片放到画板上</translation>
    </message>
    <message>
        <source>Open image…</source>
        <translation>打开图片…</translation>
    </message>
    <message>
        <source>Read a digit from an image file (or drop one on the page)</source>
        <translation>从图片文件读取数字（也可以把图片拖到画板上）</translation>
    </message>
    <message>
        <source>Save 28×28…</source>
        <translation>保存 28×28…</translation>
    </message>
    <message>
        <source>Save the 28×28 image the model sees as a PNG</source>
        <translation>把模型看到的 28×28 图像保存为 PNG</translation>
    </message>
    <message>
        <source>Test digit</source>
        <translation>测试数字</translation>
    </message>
    <message>
        <source>Test image</source>
        <translation>测试图片</translation>
    </message>
    <message>
        <source>{name}: no digit found (the image is a single flat colour)</source>
        <translation>{name}：没有找到数字（整张图片只有一种颜色）</translation>
    </message>
    <message>
        <source>Open image</source>
        <translation>打开图片</translation>
    </message>
    <message>
        <source>Opened {name}</source>
        <translation>已打开 {name}</translation>
    </message>
    <message>
        <source>Nothing to save: the page is empty</source>
        <translation>没有可保存的内容：画板是空的</translation>
    </message>
    <message>
        <source>{path}: could not write the image</source>
        <translation>{path}：无法写入图片</translation>
    </message>
    <message>
        <source>Saved the 28×28 input to {name}</source>
        <translation>已把 28×28 输入保存到 {name}</translation>
    </message>
    <message>
        <source>Not sure this is a {name} ({percent}): type {name} if it is, or the right digit if not. Either one teaches it your handwriting.</source>
        <translation>不确定这是 {name}（{percent}）：如果是，请按 {name}；如果不是，请按正确的数字。两种做法都会教它认识你的笔迹。</translation>
    </message>
    <message>
        <source>Empty page: draw a digit</source>
        <translation>画板是空的：请画一个数字</translation>
    </message>
    <message>
        <source>No model loaded: nothing reads the drawing</source>
        <translation>没有加载模型：没有模型来识别这幅画</translation>
    </message>
    <message>
        <source>Open a digit image</source>
        <translation>打开数字图片</translation>
    </message>
    <message>
        <source>Save the 28×28 model input</source>
        <translation>保存 28×28 的模型输入</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
</context>
<context>
    <name>DrawingCanvas</name>
    <message>
        <source>Draw with the left button; right-click clears. Drop an image to read it.</source>
        <extracomment>Side of the page in logical pixels at the widget&apos;s minimum size; pen widths are in these units, so a stroke keeps its proportion to the page when the widget grows. Ink pixels per page unit: twice the page keeps strokes crisp on 2× (high-DPI) screens. Each entry holds two INK_SIDE² snapshots (~0.6 MB), so the history stays bounded. The ink changed during a stroke (many times a second while the mouse moves). An edit is complete: stroke released, cleared, undone/redone or an image was put. A local file was dropped on the canvas (its path); the owner decides how to load it. A digit key 0-9 was typed (no Ctrl/Alt/Meta) while the canvas has the focus.</extracomment>
        <translation>按住左键画；右键清空。把图片拖到这里即可识别。</translation>
    </message>
    <message>
        <source>Drawing canvas</source>
        <translation>画板</translation>
    </message>
    <message>
        <source>Empty page: draw a digit</source>
        <translation>画板是空的：请画一个数字</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>Erase</source>
        <translation>擦除</translation>
    </message>
    <message>
        <source>Stroke</source>
        <translation>笔画</translation>
    </message>
</context>
<context>
    <name>EvaluationPanel</name>
    <message>
        <source>No evaluation yet: it needs a model and a loaded dataset.</source>
        <extracomment>Items added per pass of the event loop (a few ms each pass: thumbnails are drawn later). Right (the diagonal) in blue and bold, wrong in vermillion: safe for colour-blind eyes, and the bold diagonal is a second cue. Shading of a confusion cell by its share of the true class&apos;s row: a diagonal cell reaches DIAGONAL_ALPHA at 100 %; confusions are rarer, so OFF_DIAGONAL_GAIN makes 20 % full colour. A gallery image was activated: its index in the test set.</extracomment>
        <translation>尚未评估：需要一个模型和已加载的数据集。</translation>
    </message>
    <message>
        <source>Confusion matrix</source>
        <translation>混淆矩阵</translation>
    </message>
    <message>
        <source>Rows: true class; columns: predicted class, then the class&apos;s accuracy. Press Enter on a cell to see its images.</source>
        <translation>行：真实类别；列：预测类别，最后一列是该类别的准确率。在单元格上按回车键可查看其中的图片。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Confusion matrix&lt;/b&gt; — rows: true class, columns: predicted. Click a cell (or press Enter on it) to see its images.</source>
        <translation>&lt;b&gt;混淆矩阵&lt;/b&gt;——行：真实类别，列：预测类别。点击单元格（或在上面按回车键）查看其中的图片。</translation>
    </message>
    <message>
        <source>The loss of an image is −log p(true class): the more sure the model was of a wrong class, the higher it is</source>
        <translation>一张图片的损失是 −log p(真实类别)：模型对错误类别越有把握，损失就越高</translation>
    </message>
    <message>
        <source>&amp;Order:</source>
        <translation>排序(&amp;O)：</translation>
    </message>
    <message>
        <source>Test images</source>
        <translation>测试图片</translation>
    </message>
    <message>
        <source>Press Enter on an image to put it on the drawing canvas</source>
        <translation>在图片上按回车键，把它放到画板上</translation>
    </message>
    <message>
        <source>&lt;b&gt;{source}&lt;/b&gt;: evaluating on the test set…</source>
        <translation>&lt;b&gt;{source}&lt;/b&gt;：正在测试集上评估…</translation>
    </message>
    <message>
        <source>&lt;b&gt;{source}&lt;/b&gt;: test error &lt;b&gt;{error}&lt;/b&gt; ({wrong} of {n} test images misclassified)</source>
        <translation>&lt;b&gt;{source}&lt;/b&gt;：测试错误率 &lt;b&gt;{error}&lt;/b&gt;（{n} 张测试图片中有 {wrong} 张分错）</translation>
    </message>
    <message>
        <source>Misclassified test digits</source>
        <translation>分错的测试数字</translation>
    </message>
    <message>
        <source>Misclassified test images</source>
        <translation>分错的测试图片</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>predicted {name}</source>
        <translation>预测为 {name}</translation>
    </message>
    <message>
        <source>true {name}</source>
        <translation>真实为 {name}</translation>
    </message>
    <message>
        <source>True {true}, predicted {predicted}</source>
        <translation>真实为 {true}，预测为 {predicted}</translation>
    </message>
    <message>
        <source>true {true}, predicted {predicted}: {count}</source>
        <translation>真实为 {true}，预测为 {predicted}：{count}</translation>
    </message>
    <message>
        <source>accuracy on {true}: {accuracy}</source>
        <translation>{true} 的准确率：{accuracy}</translation>
    </message>
    <message>
        <source>&lt;b&gt;{title}&lt;/b&gt;: {n} images, each with its loss −log p(true) and, under it, its probabilities (true class solid blue, predicted hatched vermillion). Hover for the numbers; click one to put it on the drawing canvas.</source>
        <translation>&lt;b&gt;{title}&lt;/b&gt;：{n} 张图片，每张都标有损失 −log p(真实类别)，下方是各类别的概率（真实类别为实心蓝色，预测类别为朱红色斜纹）。鼠标悬停可查看数值；点击一张可把它放到画板上。</translation>
    </message>
</context>
<context>
    <name>EvidenceMap</name>
    <message>
        <source>Evidence map</source>
        <translation>证据图</translation>
    </message>
    <message>
        <source>Each pixel&apos;s push towards the class: vermillion pixels push for it, blue pixels against it, the page colour not at all</source>
        <translation>每个像素对该类别的推动：朱红色像素支持它，蓝色像素反对它，与画板同色的像素不起作用</translation>
    </message>
</context>
<context>
    <name>EvidenceParts</name>
    <message>
        <source>Each kind of input&apos;s share of the score: its features times their weights, added up. The offset is the bias plus the shift of the inputs&apos; standardisation. Together they make the score; the probabilities are the softmax of the ten scores.</source>
        <translation>每种输入在得分中所占的份额：它的特征乘以对应的权重再相加。偏移量是偏置加上输入标准化带来的平移。它们合起来就是得分；概率是这十个得分的 softmax。</translation>
    </message>
    <message>
        <source>Score by kind of input</source>
        <translation>按输入类型分解的得分</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>{part} {value}</source>
        <translation>{part} {value}</translation>
    </message>
</context>
<context>
    <name>GradCheckPanel</name>
    <message>
        <source>parameter</source>
        <extracomment>Upper bounds keep a check to seconds: it cannot be interrupted, and closing waits for it. Pass in blue, fail in vermillion (safe for colour-blind eyes), each with its word; a failure also gets a thick dashed frame, so the colour is never the only cue. Initial heights of the scatter and the table (the splitter keeps the ratio). Points within the threshold are blue dots, failing ones vermillion crosses.</extracomment>
        <translation>参数</translation>
    </message>
    <message>
        <source>what it is</source>
        <translation>含义</translation>
    </message>
    <message>
        <source>analytic</source>
        <translation>解析梯度</translation>
    </message>
    <message>
        <source>numeric</source>
        <translation>数值梯度</translation>
    </message>
    <message>
        <source>relative error</source>
        <translation>相对误差</translation>
    </message>
    <message>
        <source>a random point</source>
        <extracomment>Where the check can run: at a random point, or at the current model&apos;s W and b.</extracomment>
        <translation>随机点</translation>
    </message>
    <message>
        <source>the current model</source>
        <translation>当前模型</translation>
    </message>
    <message>
        <source>Run &amp;gradient check</source>
        <extracomment>(number of test images, number of coordinates, L2, at the current model) — the window runs the check.</extracomment>
        <translation>运行梯度检验(&amp;G)</translation>
    </message>
    <message>
        <source>A random point checks the formula; the current model checks it where the model actually is (its gradients are smaller once it has learnt)</source>
        <translation>在随机点检验的是公式本身；在当前模型处检验的是模型实际所在的位置（模型学会之后梯度会更小）</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Test images</source>
        <translation>测试图片数</translation>
    </message>
    <message>
        <source>Coordinates checked</source>
        <translation>检验的坐标数</translation>
    </message>
    <message>
        <source>L2 penalty</source>
        <translation>L2 惩罚</translation>
    </message>
    <message>
        <source>Check at</source>
        <translation>检验位置</translation>
    </message>
    <message>
        <source>Compares the analytic gradient of the cost with central differences (J(θ+ε) − J(θ−ε)) / 2ε, ε = 1e-4, at random coordinates of W and b, in float64, on the first test images, at a random point or at the current model&apos;s own W and b. The check passes when the largest relative error is at most the threshold.&lt;br&gt;&lt;br&gt;&lt;b&gt;W[i,j]&lt;/b&gt; is the weight from input i to class j: for a 28×28 image, pixel i = 28·row + column, so W[523,8] is the weight of pixel 523 (row 18, column 19) for class 8. &lt;b&gt;b[j]&lt;/b&gt; is class j&apos;s bias.</source>
        <translation>在 W 和 b 的随机坐标上，用 float64 和前若干张测试图片，把代价函数的解析梯度与中心差分 (J(θ+ε) − J(θ−ε)) / 2ε（ε = 1e-4）进行比较，检验位置可以是随机点，也可以是当前模型自己的 W 和 b。最大相对误差不超过阈值时检验通过。&lt;br&gt;&lt;br&gt;&lt;b&gt;W[i,j]&lt;/b&gt; 是输入 i 到类别 j 的权重：对于 28×28 的图像，像素 i = 28·行 + 列，所以 W[523,8] 是像素 523（第 18 行，第 19 列）对类别 8 的权重。&lt;b&gt;b[j]&lt;/b&gt; 是类别 j 的偏置。</translation>
    </message>
    <message>
        <source>Not run yet</source>
        <translation>尚未运行</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Max relative error</source>
        <translation>最大相对误差</translation>
    </message>
    <message>
        <source>Mean relative error</source>
        <translation>平均相对误差</translation>
    </message>
    <message>
        <source>Threshold</source>
        <translation>阈值</translation>
    </message>
    <message>
        <source>Analytic vs numeric gradient</source>
        <translation>解析梯度与数值梯度对比</translation>
    </message>
    <message>
        <source>numeric (central difference)</source>
        <translation>数值梯度（中心差分）</translation>
    </message>
    <message>
        <source>Checked coordinates</source>
        <translation>检验过的坐标</translation>
    </message>
    <message>
        <source>W[i,j]: the weight of input i (pixel i = 28·row + column) for class j; b[j]: the bias of class j</source>
        <translation>W[i,j]：输入 i（像素 i = 28·行 + 列）对类别 j 的权重；b[j]：类别 j 的偏置</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在检验…</translation>
    </message>
    <message>
        <source>PASS at {where}</source>
        <translation>通过（{where}）</translation>
    </message>
    <message>
        <source>FAIL at {where}</source>
        <translation>未通过（{where}）</translation>
    </message>
    <message>
        <source>{verdict}: {n} coordinates, largest relative error {max}, threshold {threshold}</source>
        <translation>{verdict}：{n} 个坐标，最大相对误差 {max}，阈值 {threshold}</translation>
    </message>
</context>
<context>
    <name>HandwritingView</name>
    <message>
        <source>Measure checks how many of your digits it reads right before and after teaching, and whether it still reads MNIST as well. It runs in the background.</source>
        <extracomment>What the figures box says before any measurement (translated where shown).</extracomment>
        <translation>“测量”会检查教之前和教之后你的数字有多少个能识别对，以及它识别 MNIST 是否还和原来一样好。测量在后台进行。</translation>
    </message>
    <message>
        <source>&lt;b&gt;⚠ Conflict:&lt;/b&gt; {n} samples are the same drawing taught as different digits (framed and marked ⚠ below); it cannot learn both: delete the wrong one.</source>
        <translation>&lt;b&gt;⚠ 冲突：&lt;/b&gt;有 {n} 个样本是同一幅图却被教成了不同的数字（下方已加框并标上 ⚠）；模型无法同时学会两者：请删除错的那个。</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>关闭提示</translation>
    </message>
    <message>
        <source>Hide this message (the file stays where it says)</source>
        <translation>隐藏这条消息（文件仍在消息所说的位置）</translation>
    </message>
    <message>
        <source>My handwriting</source>
        <translation>我的笔迹</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Use my handwriting</source>
        <translation>使用我的笔迹</translation>
    </message>
    <message>
        <source>On: drawings are read by the model adapted to your samples. Off: by the base model alone (your samples are kept). Teaching a digit turns it on.</source>
        <translation>打开：由适应了你的样本的模型来识别所画数字。关闭：只用基础模型识别（你的样本会保留）。教一个数字会自动打开它。</translation>
    </message>
    <message>
        <source>Selected samples</source>
        <translation>所选样本</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Delete the selected samples (Delete)</source>
        <translation>删除所选样本（Delete 键）</translation>
    </message>
    <message>
        <source>Digit to relabel the selected samples as</source>
        <translation>将所选样本改标为的数字</translation>
    </message>
    <message>
        <source>Relabel as</source>
        <translation>改标为</translation>
    </message>
    <message>
        <source>Give the selected samples this digit</source>
        <translation>把所选样本改标为这个数字</translation>
    </message>
    <message>
        <source>Undo delete</source>
        <translation>撤销删除</translation>
    </message>
    <message>
        <source>Put back the samples deleted last ({keys})</source>
        <translation>恢复最近删除的样本（{keys}）</translation>
    </message>
    <message>
        <source>Delete all…</source>
        <translation>全部删除…</translation>
    </message>
    <message>
        <source>Delete every sample (asks first; Undo delete undoes)</source>
        <translation>删除所有样本（会先询问；可用“撤销删除”恢复）</translation>
    </message>
    <message>
        <source>How well does it read you?</source>
        <translation>它能认出你写的数字吗？</translation>
    </message>
    <message>
        <source>Measure</source>
        <translation>测量</translation>
    </message>
    <message>
        <source>Before against after teaching, on your digits and on the test set</source>
        <translation>对比教之前和教之后，在你的数字和测试集上的表现</translation>
    </message>
    <message>
        <source>No samples yet.</source>
        <translation>还没有样本。</translation>
    </message>
    <message>
        <source>1 sample taught.</source>
        <translation>已教 1 个样本。</translation>
    </message>
    <message>
        <source>{n} samples taught.</source>
        <translation>已教 {n} 个样本。</translation>
    </message>
    <message>
        <source>Teach it on the Draw tab: draw a digit, then type the digit it is (0–9) or click its bar; digits it already reads right teach it too. Each sample shows what the model saw (left) and your drawing (right).</source>
        <translation>在“画数字”标签页里教它：画一个数字，然后按下它对应的数字键（0–9）或点击它的概率条；它已经识别对的数字也能用来教它。每个样本左边是模型看到的图像，右边是你画的图。</translation>
    </message>
    <message>
        <source>{summary} {how_to}</source>
        <translation>{summary}{how_to}</translation>
    </message>
    <message>
        <source>⚠ {notice}</source>
        <translation>⚠ {notice}</translation>
    </message>
    <message>
        <source>Measuring…</source>
        <translation>正在测量…</translation>
    </message>
    <message>
        <source>Delete all samples</source>
        <translation>删除所有样本</translation>
    </message>
    <message>
        <source>Delete your 1 sample? Undo delete brings it back until you quit.</source>
        <translation>删除你的 1 个样本吗？在退出应用之前，可以用“撤销删除”恢复。</translation>
    </message>
    <message>
        <source>Delete all {n} of your samples? Undo delete brings them back until you quit.</source>
        <translation>删除你的全部 {n} 个样本吗？在退出应用之前，可以用“撤销删除”恢复。</translation>
    </message>
    <message>
        <source>{n} selected</source>
        <translation>已选 {n} 个</translation>
    </message>
    <message>
        <source>Click a sample to select it (Ctrl-click for more), or use the arrow keys.</source>
        <translation>点击样本即可选中（按住 Ctrl 点击可多选），也可以用方向键。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Watch a softmax regression learn MNIST</source>
        <translation>看 softmax 回归学会识别 MNIST 手写数字</translation>
    </message>
    <message>
        <source>No model</source>
        <translation>没有模型</translation>
    </message>
    <message>
        <source>Loaded {name}</source>
        <translation>已加载 {name}</translation>
    </message>
    <message>
        <source>Test image #{index} of {dataset} · true: {label}</source>
        <translation>{dataset} 的第 {index} 张测试图像 · 真实标签：{label}</translation>
    </message>
    <message>
        <source>Model: {source}</source>
        <translation>模型：{source}</translation>
    </message>
    <message>
        <source>Drawing</source>
        <translation>画图</translation>
    </message>
</context>
<context>
    <name>MatrixView</name>
    <message>
        <source>{m} rows (examples) × {k} columns (classes).</source>
        <extracomment>The user clicked the row of this example.</extracomment>
        <translation>{m} 行（样本）× {k} 列（类别）。</translation>
    </message>
    <message>
        <source>Example {i}: {cells}.</source>
        <translation>样本 {i}：{cells}。</translation>
    </message>
    <message>
        <source>Up and Down arrow keys choose the example.</source>
        <translation>用上下方向键选择样本。</translation>
    </message>
    <message>
        <source>example {i}, class {j}: {value}</source>
        <translation>样本 {i}，类别 {j}：{value}</translation>
    </message>
</context>
<context>
    <name>PersonalController</name>
    <message>
        <source>Could not learn your handwriting</source>
        <extracomment>Dialog titles (translated where shown, context &quot;PersonalController&quot;).</extracomment>
        <translation>无法学习你的笔迹</translation>
    </message>
    <message>
        <source>Could not prepare the replay images</source>
        <translation>无法准备回放图像</translation>
    </message>
    <message>
        <source>Could not save your handwriting samples</source>
        <translation>无法保存你的笔迹样本</translation>
    </message>
    <message>
        <source>Could not measure the accuracy</source>
        <translation>无法测量准确率</translation>
    </message>
    <message>
        <source>There is no model to teach yet</source>
        <extracomment>How long (ms) a finished-step status message stays; 0 keeps an in-progress one. How long the outcome of a correction stays: long enough to read it twice. A status line and how long to show it (ms; 0 until the next one). Something the user must know about that needs no answer (unreadable samples file).</extracomment>
        <translation>还没有可以教的模型</translation>
    </message>
    <message>
        <source>Draw a {digit} first, then type {digit} or click its bar</source>
        <translation>先画一个 {digit}，再按 {digit} 键或点击它的概率条</translation>
    </message>
    <message>
        <source>Teaching it: this is a {digit}…</source>
        <translation>正在教它：这是 {digit}……</translation>
    </message>
    <message>
        <source>Deleted 1 sample (Undo delete brings it back)</source>
        <translation>已删除 1 个样本（“撤销删除”可以恢复）</translation>
    </message>
    <message>
        <source>Deleted {n} samples (Undo delete brings them back)</source>
        <translation>已删除 {n} 个样本（“撤销删除”可以恢复）</translation>
    </message>
    <message>
        <source>Restored 1 sample</source>
        <translation>已恢复 1 个样本</translation>
    </message>
    <message>
        <source>Restored {n} samples</source>
        <translation>已恢复 {n} 个样本</translation>
    </message>
    <message>
        <source>Relabelled 1 sample as {digit}</source>
        <translation>已将 1 个样本改标为 {digit}</translation>
    </message>
    <message>
        <source>Relabelled {n} samples as {digit}</source>
        <translation>已将 {n} 个样本改标为 {digit}</translation>
    </message>
    <message>
        <source>Teach it a few digits first, then measure</source>
        <translation>先教它几个数字，再测量</translation>
    </message>
    <message>
        <source>Learning your handwriting (1 sample)…</source>
        <translation>正在学习你的笔迹（1 个样本）……</translation>
    </message>
    <message>
        <source>Learning your handwriting ({n} samples)…</source>
        <translation>正在学习你的笔迹（{n} 个样本）……</translation>
    </message>
    <message>
        <source>Learning your handwriting… (preparing MNIST for teaching)</source>
        <translation>正在学习你的笔迹……（正在为教学准备 MNIST）</translation>
    </message>
    <message>
        <source>Measuring… (preparing MNIST for teaching)</source>
        <translation>正在测量……（正在为教学准备 MNIST）</translation>
    </message>
    <message>
        <source>Learning your handwriting… (waiting for the dataset)</source>
        <translation>正在学习你的笔迹……（等待数据集加载）</translation>
    </message>
    <message>
        <source>Measuring… (waiting for the dataset)</source>
        <translation>正在测量……（等待数据集加载）</translation>
    </message>
    <message>
        <source>Adapted to your handwriting (1 sample)</source>
        <translation>已适应你的笔迹（1 个样本）</translation>
    </message>
    <message>
        <source>Adapted to your handwriting ({n} samples)</source>
        <translation>已适应你的笔迹（{n} 个样本）</translation>
    </message>
    <message>
        <source>Could not keep the figures for next time: {problem}</source>
        <translation>无法保存这次的测量结果供下次查看：{problem}</translation>
    </message>
    <message>
        <source>{title} (again): {problem}</source>
        <translation>{title}（再次失败）：{problem}</translation>
    </message>
</context>
<context>
    <name>PixelImageView</name>
    <message>
        <source>What the model sees (28×28)</source>
        <extracomment>The evidence colour scale saturates at this percentile of the inked pixels&apos; |evidence|.</extracomment>
        <translation>模型看到的图像（28×28）</translation>
    </message>
    <message>
        <source>The drawing as the model&apos;s 28×28 input: centred, scaled and smoothed</source>
        <translation>画作为模型的 28×28 输入：已居中、缩放并平滑</translation>
    </message>
</context>
<context>
    <name>PreprocessingChoice</name>
    <message>
        <source>Preprocessing: automatic</source>
        <extracomment>The user picked another choice: the chosen version, or None for automatic.</extracomment>
        <translation>预处理：自动</translation>
    </message>
    <message>
        <source>Preprocessing: {version}</source>
        <translation>预处理：{version}</translation>
    </message>
    <message>
        <source>Automatic: handwritten digits as the current model expects them, any other dataset as published</source>
        <translation>自动：手写数字按当前模型期望的方式处理，其他数据集保持原样发布的形式</translation>
    </message>
    <message>
        <source>Preprocessing</source>
        <translation>预处理</translation>
    </message>
    <message>
        <source>data: {data} · model expects: {model}</source>
        <translation>数据：{data} · 模型期望：{model}</translation>
    </message>
    <message>
        <source>data: {data}</source>
        <translation>数据：{data}</translation>
    </message>
    <message>
        <source>model expects: {model}</source>
        <translation>模型期望：{model}</translation>
    </message>
</context>
<context>
    <name>ProbabilityBars</name>
    <message>
        <source>Probability of each class</source>
        <extracomment>The user clicked the bar (or the label) of this class.</extracomment>
        <translation>每个类别的概率</translation>
    </message>
    <message>
        <source>No reading</source>
        <translation>没有识别结果</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>{name}: {p}</source>
        <translation>{name}：{p}</translation>
    </message>
    <message>
        <source>Probability of each digit</source>
        <translation>每个数字的概率</translation>
    </message>
</context>
<context>
    <name>ProbabilityView</name>
    <message>
        <source>Evidence</source>
        <extracomment>The user clicked the bar of this class. The user chose which class the evidence map shows.</extracomment>
        <translation>证据</translation>
    </message>
    <message>
        <source>Which class&apos;s evidence to show: the top class, or any other (why not a 3?)</source>
        <translation>显示哪个类别的证据：概率最高的类别，或其他任何类别（为什么不是 3？）</translation>
    </message>
    <message>
        <source>Show the evidence for</source>
        <translation>显示证据的类别</translation>
    </message>
    <message>
        <source>&amp;Log scale</source>
        <translation>对数刻度(&amp;L)</translation>
    </message>
    <message>
        <source>Bar heights from 1e-{decades} to 1 on a log scale, so small probabilities are visible</source>
        <translation>概率条高度按对数刻度从 1e-{decades} 到 1，这样很小的概率也看得见</translation>
    </message>
    <message>
        <source>Prediction</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>What the model sees (28×28)</source>
        <translation>模型看到的图像（28×28）</translation>
    </message>
    <message>
        <source>Probability of each digit</source>
        <translation>每个数字的概率</translation>
    </message>
    <message>
        <source>Probability of each class</source>
        <translation>每个类别的概率</translation>
    </message>
    <message>
        <source>top class</source>
        <translation>概率最高的类别</translation>
    </message>
    <message>
        <source>{percent} sure</source>
        <translation>把握 {percent}</translation>
    </message>
    <message>
        <source>Evidence for {name}</source>
        <translation>支持 {name} 的证据</translation>
    </message>
    <message>
        <source>Evidence map for {name}</source>
        <translation>{name} 的证据图</translation>
    </message>
    <message>
        <source>{for_key} for {name} · {against_key} against</source>
        <translation>{for_key} 支持 {name} · {against_key} 反对</translation>
    </message>
    <message>
        <source>{for_key} for {name} · {against_key} against (pixels only)</source>
        <translation>{for_key} 支持 {name} · {against_key} 反对（仅像素）</translation>
    </message>
    <message>
        <source>Score for {name}, by kind of input:</source>
        <translation>{name} 的得分，按输入类型分解：</translation>
    </message>
    <message>
        <source>Evidence map</source>
        <translation>证据图</translation>
    </message>
    <message>
        <source>Each pixel&apos;s push towards the predicted digit</source>
        <translation>每个像素对预测数字的推动</translation>
    </message>
    <message>
        <source>Each pixel&apos;s push towards the predicted class</source>
        <translation>每个像素对预测类别的推动</translation>
    </message>
</context>
<context>
    <name>ReadingLine</name>
    <message>
        <source>No model</source>
        <translation>没有模型</translation>
    </message>
    <message>
        <source>The model that reads your drawings; teaching adapts this one</source>
        <translation>识别你所画数字的模型；教学会让这个模型适应你的笔迹</translation>
    </message>
    <message>
        <source>Use the shipped model</source>
        <translation>使用自带模型</translation>
    </message>
    <message>
        <source>Read and learn with the model that comes with the app (your samples are kept)</source>
        <translation>用应用自带的模型来识别和学习（你的样本会保留）</translation>
    </message>
</context>
<context>
    <name>RunStatus</name>
    <message>
        <source>Training progress</source>
        <extracomment>The bar is a thin strip; its words are on a line of their own above it, so no part of the bar&apos;s fill can cover them (paused, a style&apos;s fill hid the first figure). Between the lines of the controls column: with the style&apos;s default it did not fit a 1280×800 window after an SGD run.</extracomment>
        <translation>训练进度</translation>
    </message>
    <message>
        <source>Ready.</source>
        <translation>就绪。</translation>
    </message>
    <message>
        <source>Training status</source>
        <translation>训练状态</translation>
    </message>
    <message>
        <source>No run yet</source>
        <translation>尚未运行</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>1 step by hand</source>
        <translation>手动单步 1 次</translation>
    </message>
    <message>
        <source>{n} steps by hand</source>
        <translation>手动单步 {n} 次</translation>
    </message>
    <message>
        <source>Step {n} · batch of {batch} · cost {cost} before the step
Error: batch {batch_error} before · test {test_error} after</source>
        <translation>第 {n} 步 · 小批量 {batch} 个样本 · 单步前代价 {cost}
错误率：单步前小批量 {batch_error} · 单步后测试集 {test_error}</translation>
    </message>
    <message>
        <source>L-BFGS-B stops once it converges, usually long before its iteration limit: the ETA is the longest it can take</source>
        <translation>L-BFGS-B 一旦收敛就会停止，通常远早于迭代上限：预计剩余时间是它最多可能需要的时间</translation>
    </message>
    <message>
        <source>{percent} · {elapsed} elapsed · ETA –</source>
        <translation>{percent} · 已用 {elapsed} · 预计剩余 –</translation>
    </message>
    <message>
        <source>{percent} · {elapsed} elapsed · ETA ≤ {eta}</source>
        <translation>{percent} · 已用 {elapsed} · 预计剩余 ≤ {eta}</translation>
    </message>
    <message>
        <source>{percent} · {elapsed} elapsed · ETA {eta}</source>
        <translation>{percent} · 已用 {elapsed} · 预计剩余 {eta}</translation>
    </message>
    <message>
        <source>Iteration {n} · epoch {epoch} · cost {cost}
Error: train {train} · test {test}</source>
        <translation>第 {n} 次迭代 · 第 {epoch} 轮 · 代价 {cost}
错误率：训练集 {train} · 测试集 {test}</translation>
    </message>
    <message>
        <source>Iteration {n} · cost {cost}
Error: train {train} · test {test}</source>
        <translation>第 {n} 次迭代 · 代价 {cost}
错误率：训练集 {train} · 测试集 {test}</translation>
    </message>
    <message>
        <source>stopped at {n} of {total} · {time}</source>
        <translation>已停止于 {n}/{total} · {time}</translation>
    </message>
    <message>
        <source>diverged after {time} · step {n}</source>
        <translation>{time} 后发散 · 第 {n} 步</translation>
    </message>
    <message>
        <source>done in {time} · 1 iteration</source>
        <translation>完成，用时 {time} · 1 次迭代</translation>
    </message>
    <message>
        <source>done in {time} · {n} iterations</source>
        <translation>完成，用时 {time} · {n} 次迭代</translation>
    </message>
    <message>
        <source>{why}. The previous model is kept.</source>
        <translation>{why}。已保留之前的模型。</translation>
    </message>
    <message>
        <source>{why}.</source>
        <translation>{why}。</translation>
    </message>
    <message>
        <source>Error: train {train} · test {test}</source>
        <translation>错误率：训练集 {train} · 测试集 {test}</translation>
    </message>
</context>
<context>
    <name>RunTable</name>
    <message>
        <source>Run</source>
        <extracomment>The columns&apos; titles (English: also the keys of :meth:`RunTable.row_texts`).</extracomment>
        <translation>运行</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>用时</translation>
    </message>
    <message>
        <source>Train error</source>
        <translation>训练集错误率</translation>
    </message>
    <message>
        <source>Test error</source>
        <translation>测试集错误率</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Runs</source>
        <extracomment>Columns whose figures line up on the right. Text lines a row shows, and the space around them (px). The widest the Result column starts (px); the user can widen it. The user ticked (True) or unticked (False) run ``number``.</extracomment>
        <translation>运行记录</translation>
    </message>
    <message>
        <source>One row per run, newest first: its settings, data, training time, errors and how it ended; the first column&apos;s tick box shows or hides its curves</source>
        <translation>每次运行一行，最新的在最上面：它的设置、数据、训练用时、错误率以及结束方式；第一列的复选框用来显示或隐藏它的曲线</translation>
    </message>
    <message>
        <source>Tick to show this run&apos;s curves, untick to hide them</source>
        <translation>勾选以显示这次运行的曲线，取消勾选以隐藏</translation>
    </message>
</context>
<context>
    <name>SampleGrid</name>
    <message>
        <source>Samples taught as {digit}</source>
        <extracomment>On-screen side of both pictures of a sample: the 28×28 input at 2× and the drawing. Room around a tile in its list, and for the list&apos;s frame and horizontal scroll bar. A tile whose input was also taught as another digit: a frame this wide in the warning colour, and &quot;⚠ also 4&quot; in its corner. Item data: the other digits a sample&apos;s input was taught as (empty list: none). Up (-1) or Down (+1) was pressed: the grid moves to the row above or below.</extracomment>
        <translation>教为 {digit} 的样本</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>还没有</translation>
    </message>
    <message>
        <source>Sample {n}, taught as {digit}: left what the model saw (28×28), right your drawing</source>
        <translation>样本 {n}，教为 {digit}：左边是模型看到的图像（28×28），右边是你画的图</translation>
    </message>
    <message>
        <source>⚠ Conflict: the same drawing was also taught as {others}. {tip}</source>
        <translation>⚠ 冲突：同一幅图也被教成了 {others}。{tip}</translation>
    </message>
    <message>
        <source>Sample {n}, taught as {digit}</source>
        <translation>样本 {n}，教为 {digit}</translation>
    </message>
    <message>
        <source>Sample {n}, taught as {digit}, read as {read}</source>
        <translation>样本 {n}，教为 {digit}，识别为 {read}</translation>
    </message>
    <message>
        <source>{name}. Conflict: the same drawing was also taught as {others}</source>
        <translation>{name}。冲突：同一幅图也被教成了 {others}</translation>
    </message>
    <message>
        <source>⚠ also {others}</source>
        <translation>⚠ 也教成 {others}</translation>
    </message>
</context>
<context>
    <name>SourcePicker</name>
    <message>
        <source>The drawing on the Draw tab</source>
        <extracomment>The largest mini-batch: every stage is redrawn on the UI thread, in well under 100 ms.</extracomment>
        <translation>“画数字”页上画的数字</translation>
    </message>
    <message>
        <source>A test image</source>
        <translation>一张测试集图像</translation>
    </message>
    <message>
        <source>A random mini-batch of training images</source>
        <translation>随机抽取的一个训练图像小批量</translation>
    </message>
    <message>
        <source>What the step is computed on</source>
        <extracomment>The choice or a setting changed: read the inputs again. The user asked for a new random pick (another test image or batch). The drawing&apos;s label ``y`` was chosen.</extracomment>
        <translation>这一步在哪些数据上计算</translation>
    </message>
    <message>
        <source>Look at</source>
        <translation>查看</translation>
    </message>
    <message>
        <source>The class y this drawing should be: the loss and the gradient are for this label</source>
        <translation>这幅画应属的类别 y：损失和梯度都按这个标签计算</translation>
    </message>
    <message>
        <source>True class y of the drawing</source>
        <translation>这幅画的真实类别 y</translation>
    </message>
    <message>
        <source>Read the drawing again</source>
        <translation>重新读取画板</translation>
    </message>
    <message>
        <source>Test image index</source>
        <translation>测试图像编号</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>Pick a test image at random</source>
        <translation>随机选一张测试图像</translation>
    </message>
    <message>
        <source>m, the number of training images in the batch (≤ {n})</source>
        <translation>m：小批量中训练图像的张数（≤ {n}）</translation>
    </message>
    <message>
        <source>Batch size m</source>
        <translation>小批量大小 m</translation>
    </message>
    <message>
        <source>New batch</source>
        <translation>换一批</translation>
    </message>
    <message>
        <source>Draw another random mini-batch of the same size</source>
        <translation>重新随机抽取同样大小的小批量</translation>
    </message>
    <message>
        <source>it is a</source>
        <translation>它是</translation>
    </message>
    <message>
        <source>index</source>
        <translation>编号</translation>
    </message>
</context>
<context>
    <name>StageGrid</name>
    <message>
        <source>Cursor on class {name}. Left and Right arrow keys move it, Enter checks the number by finite differences.</source>
        <extracomment>How strongly the true class&apos;s column is tinted with the highlight colour. Minimum column widths in characters, shared by every grid so their columns line up. The notes after the numbers are at least this wide, so new numbers keep the size hint. The user clicked a number in the column of this class.</extracomment>
        <translation>光标在类别 {name} 上。左右方向键移动光标，回车键用有限差分检验这个数。</translation>
    </message>
</context>
<context>
    <name>StagesView</name>
    <message>
        <source>P (probabilities)</source>
        <translation>P（概率）</translation>
    </message>
    <message>
        <source>Y (one-hot)</source>
        <translation>Y（独热编码）</translation>
    </message>
    <message>
        <source>The input image</source>
        <translation>输入图像</translation>
    </message>
    <message>
        <source>All the images of the batch</source>
        <translation>小批量中的全部图像</translation>
    </message>
    <message>
        <source>Which example of the batch the stages show (row i of X)</source>
        <translation>各阶段显示小批量中的哪个样本（X 的第 i 行）</translation>
    </message>
    <message>
        <source>Example i of the batch</source>
        <translation>小批量中的样本 i</translation>
    </message>
    <message>
        <source>Show example i =</source>
        <translation>显示样本 i =</translation>
    </message>
    <message>
        <source>The stages of the chosen example, from the scores to p − y</source>
        <translation>所选样本的各个阶段，从得分到 p − y</translation>
    </message>
    <message>
        <source>Matrix {title}</source>
        <translation>矩阵 {title}</translation>
    </message>
    <message>
        <source>Gradient ∂J/∂W: ten images, one per class</source>
        <translation>梯度 ∂J/∂W：十幅图像，每个类别一幅</translation>
    </message>
    <message>
        <source>Arrow keys move the cursor over the pixels, Page Up and Page Down change the class, Enter compares the weight&apos;s derivative with its finite difference.</source>
        <translation>方向键在像素间移动光标，Page Up 和 Page Down 切换类别，回车键把该权重的导数与有限差分作比较。</translation>
    </message>
    <message>
        <source>Click a number (or use the arrow keys and Enter) to check it by finite differences</source>
        <translation>点击一个数（或用方向键和回车键），用有限差分检验它</translation>
    </message>
    <message>
        <source>Gradient of the bias ∂J/∂b</source>
        <translation>偏置的梯度 ∂J/∂b</translation>
    </message>
    <message>
        <source>Click a pixel of a gradient image, or a bias (from the keyboard: Tab to the images, arrow keys, Enter).</source>
        <translation>点击梯度图像中的一个像素，或一个偏置（用键盘：按 Tab 移到图像上，再用方向键和回车键）。</translation>
    </message>
    <message>
        <source>Derivative against finite difference</source>
        <translation>导数与有限差分的对比</translation>
    </message>
    <message>
        <source>Rows: the m examples. Hover a cell for its value; click a row (or use the Up and Down arrow keys) to show that example.</source>
        <translation>每行是 m 个样本中的一个。鼠标悬停在格子上可看其数值；点击一行（或用上下方向键）显示该样本。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Why divide by m?&lt;/b&gt; J is the &lt;i&gt;mean&lt;/i&gt; of the m losses, so its gradient is the mean of their gradients: Xᵀ(P − Y) adds up m outer products x&lt;sub&gt;i&lt;/sub&gt;(p&lt;sub&gt;i&lt;/sub&gt; − y&lt;sub&gt;i&lt;/sub&gt;)ᵀ, and dividing by m keeps the step the same size whatever the batch size (a sum would make a batch of 100 step 100 times further at the same η).</source>
        <translation>&lt;b&gt;为什么要除以 m？&lt;/b&gt;J 是 m 个损失的&lt;i&gt;平均值&lt;/i&gt;，所以它的梯度也是各个梯度的平均值：Xᵀ(P − Y) 把 m 个外积 x&lt;sub&gt;i&lt;/sub&gt;(p&lt;sub&gt;i&lt;/sub&gt; − y&lt;sub&gt;i&lt;/sub&gt;)ᵀ 相加，除以 m 后，无论小批量多大，每一步的大小都一样（若只求和，在同样的 η 下，100 个样本的小批量会多走 100 倍）。</translation>
    </message>
    <message>
        <source>The batch: P, Y and P − Y</source>
        <translation>小批量：P、Y 和 P − Y</translation>
    </message>
    <message>
        <source>1 · The input</source>
        <translation>1 · 输入</translation>
    </message>
    <message>
        <source>2 · From pixels to a loss</source>
        <translation>2 · 从像素到损失</translation>
    </message>
    <message>
        <source>3 · The gradient</source>
        <translation>3 · 梯度</translation>
    </message>
    <message>
        <source>&lt;b&gt;X&lt;/b&gt;: m = {m} images, one per row of X (m × {d});&lt;br&gt;on the left, example i = {i} (row i of X), then the whole batch.</source>
        <translation>&lt;b&gt;X&lt;/b&gt;：m = {m} 张图像，每张占 X 的一行（m × {d}）；&lt;br&gt;左边是样本 i = {i}（X 的第 i 行），旁边是整个小批量。</translation>
    </message>
    <message>
        <source>true class y = &lt;b&gt;{true}&lt;/b&gt;; the model reads &lt;b&gt;{predicted}&lt;/b&gt;</source>
        <translation>真实类别 y = &lt;b&gt;{true}&lt;/b&gt;；模型认作 &lt;b&gt;{predicted}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Example {i}: the true class is {true}, the model reads {predicted}</source>
        <translation>样本 {i}：真实类别是 {true}，模型认作 {predicted}</translation>
    </message>
    <message>
        <source>b[{j}]: the bias of class {name}</source>
        <translation>b[{j}]：类别 {name} 的偏置</translation>
    </message>
    <message>
        <source>analytic ∂J/∂{name} = &lt;b&gt;{value}&lt;/b&gt; &amp;nbsp; {code}</source>
        <translation>解析梯度 ∂J/∂{name} = &lt;b&gt;{value}&lt;/b&gt; &amp;nbsp; {code}</translation>
    </message>
    <message>
        <source>finite difference (J({name} + ε) − J({name} − ε)) / 2ε, ε = {eps}: &lt;b&gt;{value}&lt;/b&gt; &amp;nbsp; relative difference {relative}</source>
        <translation>有限差分 (J({name} + ε) − J({name} − ε)) / 2ε，ε = {eps}：&lt;b&gt;{value}&lt;/b&gt; &amp;nbsp; 相对差 {relative}</translation>
    </message>
    <message>
        <source>{formula}: column j is the image x times p&lt;sub&gt;j&lt;/sub&gt; − y&lt;sub&gt;j&lt;/sub&gt;</source>
        <translation>{formula}：第 j 列是图像 x 乘以 p&lt;sub&gt;j&lt;/sub&gt; − y&lt;sub&gt;j&lt;/sub&gt;</translation>
    </message>
    <message>
        <source>{formula}: column j is x times p&lt;sub&gt;j&lt;/sub&gt; − y&lt;sub&gt;j&lt;/sub&gt;</source>
        <translation>{formula}：第 j 列是 x 乘以 p&lt;sub&gt;j&lt;/sub&gt; − y&lt;sub&gt;j&lt;/sub&gt;</translation>
    </message>
    <message>
        <source>{formula}: the mean of the m examples&apos; x&lt;sub&gt;i&lt;/sub&gt;(p&lt;sub&gt;i&lt;/sub&gt; − y&lt;sub&gt;i&lt;/sub&gt;)ᵀ</source>
        <translation>{formula}：m 个样本的 x&lt;sub&gt;i&lt;/sub&gt;(p&lt;sub&gt;i&lt;/sub&gt; − y&lt;sub&gt;i&lt;/sub&gt;)ᵀ 的平均值</translation>
    </message>
    <message>
        <source>Vermillion (+): J grows if the weight grows, so the step lowers it; blue (−): the step raises it. Click a pixel (or a number of ∂J/∂b) to compare with the finite difference. Solid blue frame: the true class y; dashed vermillion frame: the predicted class ŷ.</source>
        <translation>朱红（+）：权重增大时 J 也增大，所以这一步会把它调小；蓝色（−）：这一步会把它调大。点击一个像素（或 ∂J/∂b 的一个数），与有限差分作比较。蓝色实线框：真实类别 y；朱红虚线框：预测类别 ŷ。</translation>
    </message>
    <message>
        <source>Vermillion (+): J grows if the weight grows, so the step lowers it; blue (−): the step raises it. Click a pixel (or a number of ∂J/∂b) to compare with the finite difference.</source>
        <translation>朱红（+）：权重增大时 J 也增大，所以这一步会把它调小；蓝色（−）：这一步会把它调大。点击一个像素（或 ∂J/∂b 的一个数），与有限差分作比较。</translation>
    </message>
</context>
<context>
    <name>StepPanel</name>
    <message>
        <source>Take a step to see how the weights and the probabilities change.</source>
        <translation>走一步，看看权重和概率如何变化。</translation>
    </message>
    <message>
        <source>η, the learning rate: the step is η times the gradient, downhill</source>
        <extracomment>Spin boxes for rates are this wide in digits (plus their arrows): &quot;0.0001&quot; fits.</extracomment>
        <translation>η，学习率：每一步沿下坡方向走梯度的 η 倍</translation>
    </message>
    <message>
        <source>Learning rate η</source>
        <translation>学习率 η</translation>
    </message>
    <message>
        <source>Take the &amp;step</source>
        <translation>走一步(&amp;S)</translation>
    </message>
    <message>
        <source>Take one step of gradient descent on these inputs</source>
        <translation>在这些输入上做一步梯度下降</translation>
    </message>
    <message>
        <source>&amp;Apply to the current model</source>
        <translation>应用到当前模型(&amp;A)</translation>
    </message>
    <message>
        <source>Make the stepped model the app&apos;s current model</source>
        <translation>把走过这一步的模型设为程序的当前模型</translation>
    </message>
    <message>
        <source>Dis&amp;card</source>
        <translation>放弃(&amp;C)</translation>
    </message>
    <message>
        <source>Forget the steps: back to the current model</source>
        <translation>丢掉这些步：回到当前模型</translation>
    </message>
    <message>
        <source>Step status</source>
        <translation>单步状态</translation>
    </message>
    <message>
        <source>&lt;b&gt;The step&lt;/b&gt; &amp;nbsp; {formula}</source>
        <translation>&lt;b&gt;这一步&lt;/b&gt; &amp;nbsp; {formula}</translation>
    </message>
    <message>
        <source>The change of the weights ΔW: ten images, one per class</source>
        <translation>权重的变化 ΔW：十幅图像，每个类别一幅</translation>
    </message>
    <message>
        <source>Arrow keys move the cursor over the pixels, Page Up and Page Down change the class.</source>
        <translation>方向键在像素间移动光标，Page Up 和 Page Down 切换类别。</translation>
    </message>
    <message>
        <source>The probabilities before and after the step</source>
        <translation>这一步前后的概率</translation>
    </message>
    <message>
        <source>η =</source>
        <translation>η =</translation>
    </message>
    <message>
        <source>&amp;Step again</source>
        <translation>再走一步(&amp;S)</translation>
    </message>
    <message>
        <source>Step {n} taken on {what}, not applied yet: J {before} → {after}. Step again, apply or discard.</source>
        <translation>已走第 {n} 步（输入：{what}），尚未应用：J {before} → {after}。可以再走一步、应用或放弃。</translation>
    </message>
    <message>
        <source>{summary} Vermillion (+): the weight grew; blue (−): it shrank.</source>
        <translation>{summary}朱红（+）：权重变大；蓝色（−）：权重变小。</translation>
    </message>
    <message>
        <source>&lt;b&gt;The probabilities of example {i} of the batch after the step&lt;/b&gt;</source>
        <translation>&lt;b&gt;这一步之后，小批量中样本 {i} 的概率&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;The probabilities of the same input after the step&lt;/b&gt;</source>
        <translation>&lt;b&gt;这一步之后，同一输入的概率&lt;/b&gt;</translation>
    </message>
</context>
<context>
    <name>StepTab</name>
    <message>
        <source>λ, the L2 regularisation: J adds λ/2·‖W‖², and the gradient λW</source>
        <extracomment>Returns the Draw tab&apos;s 28×28 model input (floats in [0, 1]), or None for an empty page. (the stepped model, how it was made): make it the app&apos;s current model.</extracomment>
        <translation>λ，L2 正则化系数：J 加上 λ/2·‖W‖²，梯度加上 λW</translation>
    </message>
    <message>
        <source>L2 regularisation λ</source>
        <translation>L2 正则化 λ</translation>
    </message>
    <message>
        <source>L2 λ =</source>
        <translation>L2 λ =</translation>
    </message>
    <message>
        <source>What the step is computed on</source>
        <translation>这一步在哪些数据上计算</translation>
    </message>
    <message>
        <source>4 · One step of gradient descent</source>
        <translation>4 · 梯度下降的一步</translation>
    </message>
    <message>
        <source>The stages of one step</source>
        <translation>单步的各个阶段</translation>
    </message>
    <message>
        <source>The current model changed: the unapplied steps are gone.</source>
        <translation>当前模型已更换：未应用的步已丢弃。</translation>
    </message>
    <message>
        <source>Cannot explain a step here: {detail}</source>
        <translation>无法在这里讲解一步：{detail}</translation>
    </message>
    <message>
        <source>1 step by hand on {what}</source>
        <translation>手动走了 1 步（输入：{what}）</translation>
    </message>
    <message>
        <source>{n} steps by hand on {what}</source>
        <translation>手动走了 {n} 步（输入：{what}）</translation>
    </message>
    <message>
        <source>Applied {how}.</source>
        <translation>已应用：{how}。</translation>
    </message>
    <message>
        <source>Discarded: back to the current model.</source>
        <translation>已放弃：回到当前模型。</translation>
    </message>
    <message>
        <source>No model yet: train one, or open one from the File menu.</source>
        <translation>还没有模型：请先训练一个，或从“文件”菜单打开一个。</translation>
    </message>
    <message>
        <source>The Draw tab&apos;s page is empty: draw a digit there, or pick a test image.</source>
        <translation>“画数字”页的画板是空的：请在那里画一个数字，或选一张测试图像。</translation>
    </message>
    <message>
        <source>the drawing</source>
        <translation>画的数字</translation>
    </message>
    <message>
        <source>No dataset loaded yet (Train tab).</source>
        <translation>还没有加载数据集（见“训练”页）。</translation>
    </message>
    <message>
        <source>test image #{i}</source>
        <translation>测试图像 #{i}</translation>
    </message>
    <message>
        <source>a mini-batch of {m} training images</source>
        <translation>由 {m} 张训练图像组成的小批量</translation>
    </message>
    <message>
        <source>1 unapplied step kept: take another, apply or discard it.</source>
        <translation>保留了 1 个未应用的步：可以再走一步、应用或放弃它。</translation>
    </message>
    <message>
        <source>{n} unapplied steps kept: take another, apply or discard them.</source>
        <translation>保留了 {n} 个未应用的步：可以再走一步、应用或放弃它们。</translation>
    </message>
    <message>
        <source>Looking at {what}, with the current model.</source>
        <translation>正在查看{what}，使用当前模型。</translation>
    </message>
    <message>
        <source>Looking at {what}, with the current model plus the step taken so far (not applied).</source>
        <translation>正在查看{what}，使用当前模型加上已走的 1 步（尚未应用）。</translation>
    </message>
    <message>
        <source>Looking at {what}, with the current model plus the {n} steps taken so far (not applied).</source>
        <translation>正在查看{what}，使用当前模型加上已走的 {n} 步（尚未应用）。</translation>
    </message>
</context>
<context>
    <name>TrainTab</name>
    <message>
        <source>Runs — tick to show, untick to hide</source>
        <extracomment>The narrowest the controls column gets; it is widened to the form&apos;s own minimum width (plus a vertical scroll bar) so that the form never needs a horizontal scroll bar. Initial heights of the curves, the runs table and the weight strip (the splitter keeps the ratio). A message for the status bar (e.g. the run history could not be read or written).</extracomment>
        <translation>运行记录 — 勾选显示，取消勾选隐藏</translation>
    </message>
    <message>
        <source>Weight templates — orange pixels vote for the digit, blue against</source>
        <translation>权重模板 — 橙色像素支持该数字，蓝色像素反对</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Why L-BFGS-B&apos;s templates look like speckle and SGD&apos;s like digits.&lt;/b&gt; L-BFGS-B drives the training cost down as far as it goes, and the default L2 penalty (1e-4) hardly holds the weights back: they grow larger and vary from pixel to pixel, neighbours of opposite sign cancelling on the training digits — speckle. SGD stops after a few epochs, before that fine fitting (early stopping acts as regularisation), so its weights stay smaller and smoother and keep the shape of the digits. A larger L2 penalty does the same for L-BFGS-B: with 1e-2 its templates are smooth, at a somewhat higher test error.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;为什么 L-BFGS-B 的模板像斑点，而 SGD 的像数字。&lt;/b&gt;L-BFGS-B 会把训练代价一直压到最低，而默认的 L2 正则化系数（1e-4）几乎约束不了权重：权重变得更大，并且逐个像素地起伏，相邻像素正负相反，在训练数字上相互抵消——于是看起来像斑点。SGD 只训练几轮就停下，来不及做这种精细拟合（提前停止本身就起到正则化的作用），所以它的权重更小、更平滑，保留了数字的形状。更大的 L2 正则化系数对 L-BFGS-B 也有同样效果：取 1e-2 时它的模板很平滑，只是测试集错误率稍高一些。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Speckled (L-BFGS-B) or digit-like (SGD)? Little regularisation versus early stopping — hover for why.</source>
        <translation>像斑点（L-BFGS-B）还是像数字（SGD）？正则化很弱与提前停止的区别——把鼠标悬停在这里看原因。</translation>
    </message>
    <message>
        <source>Training diverged</source>
        <translation>训练发散</translation>
    </message>
    <message>
        <source>{reason}.

The previous model is kept.</source>
        <translation>{reason}。

已保留之前的模型。</translation>
    </message>
    <message>
        <source>{path}: could not be written</source>
        <translation>{path}：无法写入</translation>
    </message>
    <message>
        <source>Could not export the plots</source>
        <translation>无法导出图表</translation>
    </message>
    <message>
        <source>Could not save the run history: {detail}</source>
        <translation>无法保存运行记录：{detail}</translation>
    </message>
    <message>
        <source>Earlier runs were not restored: {detail}; it was kept aside as {name}.</source>
        <translation>之前的运行记录未能恢复：{detail}；该文件已另存为 {name}。</translation>
    </message>
    <message>
        <source>Earlier runs were not restored: {detail}; this session&apos;s runs will not be stored.</source>
        <translation>之前的运行记录未能恢复：{detail}；本次会话的运行记录将不会保存。</translation>
    </message>
</context>
<context>
    <name>TrainingPanel</name>
    <message>
        <source>{tip} ({keys})</source>
        <extracomment>The config fields the form edits (label, help, range, which optimizer), in its order. Hyper-parameters the panel edits, with their defaults (also the settings&apos; types). SGD reports this many times per epoch (enough for smooth curves, cheap to evaluate). Keys of the run actions. Pause is F6 and the keyboard&apos;s Pause key (Ctrl+P is Print); Stop is Ctrl+. here (macOS&apos;s Cmd+. &quot;cancel the operation&quot;), and Esc on the Train tab itself (see TrainTab), where no other Esc use competes (the Draw tab&apos;s Esc clears its page). Inside the column&apos;s boxes (left, top, right, bottom): tighter than the style&apos;s default, so the column fits a 1280×800 window without a scroll bar.</extracomment>
        <translation>{tip}（{keys}）</translation>
    </message>
    <message>
        <source>&amp;Start</source>
        <extracomment>The form makes one field per entry of OPTIONS, an attribute of that name (e.g. ``self.lr``); the panel&apos;s own code reads this one.</extracomment>
        <translation>开始(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>停止(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Reset</source>
        <translation>重置(&amp;R)</translation>
    </message>
    <message>
        <source>St&amp;ep</source>
        <translation>单步(&amp;E)</translation>
    </message>
    <message>
        <source>Start training with these settings</source>
        <translation>用这些设置开始训练</translation>
    </message>
    <message>
        <source>Pause or resume</source>
        <translation>暂停或继续</translation>
    </message>
    <message>
        <source>Restore default hyper-parameters, clear progress</source>
        <translation>恢复默认超参数，清空进度</translation>
    </message>
    <message>
        <source>One SGD step from the current model: one random mini-batch of the batch size, the learning rate and L2 of the form, no momentum</source>
        <translation>从当前模型出发走一步 SGD：按表单中的批量大小随机取一个小批量，使用表单中的学习率和 L2，不用动量</translation>
    </message>
    <message>
        <source>Stop, keep the model</source>
        <translation>停止，并保留模型</translation>
    </message>
    <message>
        <source>Hyper-parameters</source>
        <translation>超参数</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>not loaded</source>
        <translation>未加载</translation>
    </message>
    <message>
        <source>Bundled MNIST</source>
        <translation>内置 MNIST</translation>
    </message>
    <message>
        <source>Load the MNIST digits that come with the app</source>
        <translation>加载应用自带的 MNIST 数字</translation>
    </message>
    <message>
        <source>Open IDX folder…</source>
        <translation>打开 IDX 文件夹…</translation>
    </message>
    <message>
        <source>Load a folder of MNIST-format IDX files</source>
        <translation>加载一个存放 MNIST 格式 IDX 文件的文件夹</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>&lt;b&gt;Current model&lt;/b&gt;</source>
        <translation>&lt;b&gt;当前模型&lt;/b&gt;</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Current model</source>
        <translation>当前模型</translation>
    </message>
    <message>
        <source>Include my handwriting (1 sample)</source>
        <translation>加入我的笔迹（1 个样本）</translation>
    </message>
    <message>
        <source>Include my handwriting ({n} samples)</source>
        <translation>加入我的笔迹（{n} 个样本）</translation>
    </message>
    <message>
        <source>Train on the dataset plus the digits you taught on the Draw tab</source>
        <translation>用数据集加上你在“画数字”页教过的数字一起训练</translation>
    </message>
    <message>
        <source>No samples yet: teach it on the Draw tab (type the right digit, or click its bar)</source>
        <translation>还没有样本：请在“画数字”页教它（输入正确的数字，或点击对应的概率条）</translation>
    </message>
    <message>
        <source>Res&amp;ume</source>
        <translation>继续(&amp;U)</translation>
    </message>
    <message>
        <source>Paused. {status}</source>
        <translation>已暂停。{status}</translation>
    </message>
    <message>
        <source>Stopping… {status}</source>
        <translation>正在停止… {status}</translation>
    </message>
    <message>
        <source>Waiting for the dataset…</source>
        <translation>正在等待数据集…</translation>
    </message>
    <message>
        <source>Load a dataset to train.</source>
        <translation>请先加载数据集再训练。</translation>
    </message>
    <message>
        <source>Ready.</source>
        <translation>就绪。</translation>
    </message>
</context>
<context>
    <name>TrainingPlots</name>
    <message>
        <source>What the plots&apos; horizontal axis counts</source>
        <extracomment>Earlier runs kept on show (their curves are created once, then reused). Earlier runs are thin lines drawn without antialiasing: every frame repaints them under the current curves, and eight antialiased runs cost more than the rest of the frame. The user hid (False) or showed (True) run ``number`` by clicking its legend sample. The earlier runs were removed (Clear history).</extracomment>
        <translation>图表横轴的计量方式</translation>
    </message>
    <message>
        <source>log scale</source>
        <translation>对数坐标</translation>
    </message>
    <message>
        <source>Vertical axes in powers of ten (falling costs stay visible)</source>
        <translation>纵轴按 10 的幂刻度（代价下降到很小时仍看得清）</translation>
    </message>
    <message>
        <source>&amp;x axis:</source>
        <translation>横轴(&amp;X)：</translation>
    </message>
    <message>
        <source>Cost (cross-entropy + L2)</source>
        <translation>代价（交叉熵 + L2）</translation>
    </message>
    <message>
        <source>cost</source>
        <translation>代价</translation>
    </message>
    <message>
        <source>Error rate (%) — dashed: train, solid: test</source>
        <translation>错误率（%）— 虚线：训练集，实线：测试集</translation>
    </message>
    <message>
        <source>error (%)</source>
        <translation>错误率（%）</translation>
    </message>
    <message>
        <source>Cost plot</source>
        <translation>代价曲线图</translation>
    </message>
    <message>
        <source>Error rate plot</source>
        <translation>错误率曲线图</translation>
    </message>
    <message>
        <source>No run yet: press Start ({keys}) to watch the cost and errors fall</source>
        <translation>尚未运行：按“开始”（{keys}），看代价和错误率如何下降</translation>
    </message>
</context>
<context>
    <name>WeightsView</name>
    <message>
        <source>weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Weight templates</source>
        <translation>权重模板</translation>
    </message>
    <message>
        <source>Ten 28×28 images, one per class: orange pixels push the score of that class up, blue pixels push it down, white is zero</source>
        <translation>十张 28×28 的图像，每个类别一张：橙色像素提高该类别的得分，蓝色像素降低它，白色表示零</translation>
    </message>
    <message>
        <source>{what}; the colours span −{level} to {level}</source>
        <translation>{what}；颜色范围从 −{level} 到 {level}</translation>
    </message>
</context>
<context>
    <name>WindowFiles</name>
    <message>
        <source>Preparing MNIST for teaching…</source>
        <extracomment>The busy bar&apos;s width, and its label and width while teaching waits for the dataset.</extracomment>
        <translation>正在为教学准备 MNIST…</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>Could not open the model</source>
        <translation>无法打开模型</translation>
    </message>
    <message>
        <source>there is no model to save yet</source>
        <translation>还没有可保存的模型</translation>
    </message>
    <message>
        <source>Could not save the model</source>
        <translation>无法保存模型</translation>
    </message>
    <message>
        <source>Saved the model to {path}</source>
        <translation>模型已保存到 {path}</translation>
    </message>
    <message>
        <source>Loading {folder}…</source>
        <translation>正在加载 {folder}…</translation>
    </message>
    <message>
        <source>Loading the bundled MNIST…</source>
        <translation>正在加载自带的 MNIST…</translation>
    </message>
    <message>
        <source>Loading the dataset…</source>
        <translation>正在加载数据集…</translation>
    </message>
    <message>
        <source>Loading… {share}: {step}</source>
        <translation>正在加载… {share}：{step}</translation>
    </message>
    <message>
        <source>opened {name} instead</source>
        <translation>改为打开了 {name}</translation>
    </message>
    <message>
        <source>Could not open a model: {detail}</source>
        <translation>无法打开模型：{detail}</translation>
    </message>
    <message>
        <source>No model</source>
        <translation>没有模型</translation>
    </message>
    <message>
        <source>no model is open</source>
        <translation>没有打开任何模型</translation>
    </message>
    <message>
        <source>{problems}; {outcome}.</source>
        <translation>{problems}；{outcome}。</translation>
    </message>
</context>
<context>
    <name>WindowJobs</name>
    <message>
        <source>Invalid hyper-parameters</source>
        <translation>超参数无效</translation>
    </message>
    <message>
        <source>Cannot take a step</source>
        <translation>无法执行单步</translation>
    </message>
    <message>
        <source>There is no current model.</source>
        <translation>当前没有模型。</translation>
    </message>
    <message>
        <source>Cannot check at the current model</source>
        <translation>无法在当前模型处检验</translation>
    </message>
    <message>
        <source>{run} (1 step)</source>
        <translation>{run}（1 步）</translation>
    </message>
    <message>
        <source>{run} ({n} steps)</source>
        <translation>{run}（{n} 步）</translation>
    </message>
    <message>
        <source>{model} ({note})</source>
        <translation>{model}（{note}）</translation>
    </message>
    <message>
        <source>{model}
test error {error} on {dataset}</source>
        <translation>{model}
在 {dataset} 上的测试错误率 {error}</translation>
    </message>
    <message>
        <source>Not loaded.</source>
        <translation>未加载。</translation>
    </message>
    <message>
        <source>The evaluation failed.</source>
        <translation>评估失败。</translation>
    </message>
    <message>
        <source>Loading the dataset…</source>
        <translation>正在加载数据集…</translation>
    </message>
    <message>
        <source>Checking the gradient…</source>
        <translation>正在检验梯度…</translation>
    </message>
    <message>
        <source>Measuring your handwriting…</source>
        <translation>正在测量你的笔迹…</translation>
    </message>
    <message>
        <source>Learning your handwriting…</source>
        <translation>正在学习你的笔迹…</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
</context>
<context>
    <name>WindowLanguage</name>
    <message>
        <source>The language changes when this training run ends (Stop ends it now; the run is kept)</source>
        <extracomment>The widgets were rebuilt in the language of this choice (i18n.CHOICES).</extracomment>
        <translation>本次训练结束后将切换语言（点“停止”可立即结束训练，本次运行会保留）</translation>
    </message>
    <message>
        <source>Language changed</source>
        <translation>语言已切换</translation>
    </message>
    <message>
        <source>Drawing</source>
        <translation>画图</translation>
    </message>
</context>
<context>
    <name>coordinates</name>
    <message>
        <source>class {j}</source>
        <translation>类别 {j}</translation>
    </message>
    <message>
        <source>class {j} ({name})</source>
        <translation>类别 {j}（{name}）</translation>
    </message>
    <message>
        <source>bias of {cls}</source>
        <translation>{cls} 的偏置</translation>
    </message>
    <message>
        <source>pixel {i} = row {row}, column {column}; {cls}</source>
        <translation>像素 {i} = 第 {row} 行，第 {column} 列；{cls}</translation>
    </message>
    <message>
        <source>input feature {i}; {cls}</source>
        <translation>输入特征 {i}；{cls}</translation>
    </message>
</context>
<context>
    <name>draw_panel</name>
    <message>
        <source>No model loaded</source>
        <extracomment>Re-predict at most this often while drawing. A read costs ~3 ms, so a 125 Hz mouse gets one read per move (latencies in bench/README.md), and a faster mouse is capped at 200 reads a second.</extracomment>
        <translation>没有加载模型</translation>
    </message>
    <message>
        <source>Left button draws, right-click or Delete clears · Ctrl+Z undo · Ctrl+Shift+Z redo · E eraser · drop an image file on the page · wrong? type the right digit (0–9) or click its bar to teach it your handwriting</source>
        <translation>左键画，右键或 Delete 清空 · Ctrl+Z 撤销 · Ctrl+Shift+Z 重做 · E 橡皮 · 可把图片文件拖到画板上 · 认错了？按正确的数字（0–9）或点击它的概率条，教它认识你的笔迹</translation>
    </message>
    <message>
        <source>Click a digit&apos;s bar (or type the digit on the page) to teach: this drawing is that digit</source>
        <translation>点击某个数字的概率条（或在画板上按这个数字）来教它：这幅画就是那个数字</translation>
    </message>
    <message>
        <source>Images ({patterns});;All files (*)</source>
        <extracomment>Below this top probability a finished drawing asks to be confirmed or corrected. Teaching those reads as well as the misreads lifted the writer protocol&apos;s mean after teaching over five shuffles from 94.8% to 95.4%, for ~12 samples a writer instead of ~3.5 (``bench/personal.py --teach unsure``, README).</extracomment>
        <translation>图片 ({patterns});;所有文件 (*)</translation>
    </message>
    <message>
        <source>This model reads {subject}, not handwritten digits: put a test image on the canvas (Random test image, or a pick from the Evaluate tab) to see it read one</source>
        <translation>这个模型识别的是{subject}，不是手写数字：请把一张测试图片放到画板上（“随机测试图片”，或在“评估”页中挑一张），看它如何识别</translation>
    </message>
</context>
<context>
    <name>edge_glyphs</name>
    <message>
        <source>in each 4×4 cell a ray points the way the ink gets darker across an edge, and is longer the more that edge votes for the class (votes against, or near zero: no ray)</source>
        <extracomment>The longest ray reaches this fraction of the way from a cell&apos;s centre to its edge, so the rays of neighbouring cells never touch. The longest ray is set by this percentile of the positive weights, so a few extreme weights do not shrink all the others to dots. Rays shorter than this fraction of the longest are left out: dozens of dots of weights near zero hid the long rays that make the shape. Ray width: this many image pixels (an eighth of a cell), within the screen-pixel bounds below. A fixed 2-screen-pixel pen made blobs of the cells at a 1,024-pixel-wide window, and a width that only scaled faded to hairlines there.</extracomment>
        <translation>在每个 4×4 的格子里，射线指向笔迹跨过边缘时变深的方向；这条边缘越支持该类别，射线越长（反对该类别或接近零时没有射线）</translation>
    </message>
</context>
<context>
    <name>engine_words</name>
    <message>
        <source>T-shirt/top</source>
        <extracomment>Class names of the known datasets (digits are their own names): Fashion-MNIST&apos;s garments and KMNIST&apos;s romanised syllables (translated to the kana they are).</extracomment>
        <translation>T恤/上衣</translation>
    </message>
    <message>
        <source>Trouser</source>
        <translation>裤子</translation>
    </message>
    <message>
        <source>Pullover</source>
        <translation>套头衫</translation>
    </message>
    <message>
        <source>Dress</source>
        <translation>连衣裙</translation>
    </message>
    <message>
        <source>Coat</source>
        <translation>外套</translation>
    </message>
    <message>
        <source>Sandal</source>
        <translation>凉鞋</translation>
    </message>
    <message>
        <source>Shirt</source>
        <translation>衬衫</translation>
    </message>
    <message>
        <source>Sneaker</source>
        <translation>运动鞋</translation>
    </message>
    <message>
        <source>Bag</source>
        <translation>包</translation>
    </message>
    <message>
        <source>Ankle boot</source>
        <translation>短靴</translation>
    </message>
    <message>
        <source>o</source>
        <translation>お</translation>
    </message>
    <message>
        <source>ki</source>
        <translation>き</translation>
    </message>
    <message>
        <source>su</source>
        <translation>す</translation>
    </message>
    <message>
        <source>tsu</source>
        <translation>つ</translation>
    </message>
    <message>
        <source>na</source>
        <translation>な</translation>
    </message>
    <message>
        <source>ha</source>
        <translation>は</translation>
    </message>
    <message>
        <source>ma</source>
        <translation>ま</translation>
    </message>
    <message>
        <source>ya</source>
        <translation>や</translation>
    </message>
    <message>
        <source>re</source>
        <translation>れ</translation>
    </message>
    <message>
        <source>wo</source>
        <translation>を</translation>
    </message>
    <message>
        <source>handwritten digits</source>
        <extracomment>What a model of a known dataset reads (``SoftmaxModel.subject``).</extracomment>
        <translation>手写数字</translation>
    </message>
    <message>
        <source>clothing images</source>
        <translation>服饰图片</translation>
    </message>
    <message>
        <source>cursive Japanese characters (Kuzushiji)</source>
        <translation>日文草书字符（崩し字）</translation>
    </message>
    <message>
        <source>x · column j of W</source>
        <extracomment>Stage key -&gt; its name, shown in brackets after the stage&apos;s formula.</extracomment>
        <translation>x 与 W 第 j 列的点积</translation>
    </message>
    <message>
        <source>bias</source>
        <translation>偏置</translation>
    </message>
    <message>
        <source>scores</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>minus the largest score</source>
        <translation>减去最大得分</translation>
    </message>
    <message>
        <source>exponentials</source>
        <translation>指数</translation>
    </message>
    <message>
        <source>softmax</source>
        <translation>softmax</translation>
    </message>
    <message>
        <source>one-hot</source>
        <translation>独热编码</translation>
    </message>
    <message>
        <source>error</source>
        <translation>误差</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>mean loss of the batch</source>
        <translation>小批量的平均损失</translation>
    </message>
    <message>
        <source>L2 part</source>
        <translation>L2 项</translation>
    </message>
    <message>
        <source>its {n} pixels</source>
        <extracomment>Input-map part name -&gt; what that part of x is, ``{n}`` its number of features.</extracomment>
        <translation>它的 {n} 个像素</translation>
    </message>
    <message>
        <source>{n} edge-direction features</source>
        <translation>{n} 个边缘方向特征</translation>
    </message>
    <message>
        <source>{n} random features</source>
        <translation>{n} 个随机特征</translation>
    </message>
    <message>
        <source>Inputs</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>what the model reads: a fixed map of each 28×28 image, fitted on the training images (the model stays linear in its inputs)</source>
        <translation>模型读取的内容：对每张 28×28 图像做的固定映射，在训练图像上拟合（模型对其输入仍是线性的）</translation>
    </message>
    <message>
        <source>pixels — the classic</source>
        <translation>像素 — 经典方式</translation>
    </message>
    <message>
        <source>the 784 grey levels themselves</source>
        <translation>784 个灰度值本身</translation>
    </message>
    <message>
        <source>pixels + edge directions</source>
        <translation>像素 + 边缘方向</translation>
    </message>
    <message>
        <source>the pixels, plus how strongly the ink&apos;s edges run in 8 directions in each 4×4 cell</source>
        <translation>像素，再加上每个 4×4 格子里笔迹边缘在 8 个方向上的强度</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>how the cost is minimised</source>
        <translation>如何最小化代价</translation>
    </message>
    <message>
        <source>L-BFGS-B (full batch)</source>
        <translation>L-BFGS-B（全批量）</translation>
    </message>
    <message>
        <source>SGD with momentum</source>
        <translation>带动量的 SGD</translation>
    </message>
    <message>
        <source>Max iterations</source>
        <translation>最大迭代次数</translation>
    </message>
    <message>
        <source>iterations at most</source>
        <translation>最多迭代的次数</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <source>passes over the training set</source>
        <translation>遍历训练集的次数</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>step size at the start of the schedule</source>
        <translation>学习率调度开始时的步长</translation>
    </message>
    <message>
        <source>Momentum</source>
        <translation>动量</translation>
    </message>
    <message>
        <source>share of the previous step kept in the next</source>
        <translation>上一步保留到下一步的比例</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批量大小</translation>
    </message>
    <message>
        <source>images per step</source>
        <translation>每一步用的图像数</translation>
    </message>
    <message>
        <source>LR schedule</source>
        <translation>学习率调度</translation>
    </message>
    <message>
        <source>how the learning rate falls</source>
        <translation>学习率如何下降</translation>
    </message>
    <message>
        <source>cosine decay</source>
        <translation>余弦衰减</translation>
    </message>
    <message>
        <source>constant</source>
        <translation>恒定</translation>
    </message>
    <message>
        <source>step (×0.1 at 50%, 75%)</source>
        <translation>阶梯（在 50%、75% 处 ×0.1）</translation>
    </message>
    <message>
        <source>Augmentation</source>
        <translation>数据增强</translation>
    </message>
    <message>
        <source>distort each mini-batch on the fly (labels kept)</source>
        <translation>训练时实时扭曲每个小批量（标签不变）</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>light (shift, rotate, warp, pen)</source>
        <translation>轻度（平移、旋转、形变、笔宽）</translation>
    </message>
    <message>
        <source>strong (more of each)</source>
        <translation>强（每种都更多）</translation>
    </message>
    <message>
        <source>pen width only</source>
        <translation>仅笔宽</translation>
    </message>
    <message>
        <source>L2 penalty</source>
        <translation>L2 正则化系数</translation>
    </message>
    <message>
        <source>weight of l2/2·‖W‖² in the cost</source>
        <translation>代价中 l2/2·‖W‖² 项的系数</translation>
    </message>
    <message>
        <source>Early-stop tolerance</source>
        <translation>提前停止阈值</translation>
    </message>
    <message>
        <source>stop early once the cost improves by no more than this: L-BFGS-B when an iteration lowers the cost by no more than this fraction of it (SciPy&apos;s ftol); SGD when an epoch&apos;s mean mini-batch cost is no more than this below the previous epoch&apos;s, so also when it rises (even with 0)</source>
        <translation>代价的改善不超过这个值时提前停止：对 L-BFGS-B，是一次迭代使代价降低的比例不超过该值（SciPy 的 ftol）；对 SGD，是一轮的小批量平均代价比上一轮低得不超过该值，因此代价上升时也会停止（即使设为 0）</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>seed of the starting weights and of SGD&apos;s order</source>
        <translation>初始权重和 SGD 样本顺序的随机种子</translation>
    </message>
    <message>
        <source>cosine</source>
        <translation>余弦</translation>
    </message>
    <message>
        <source>step</source>
        <translation>阶梯</translation>
    </message>
    <message>
        <source>light</source>
        <translation>轻度</translation>
    </message>
    <message>
        <source>strong</source>
        <translation>强</translation>
    </message>
    <message>
        <source>pen</source>
        <translation>笔宽</translation>
    </message>
    <message>
        <source>pixels + random features</source>
        <translation>像素 + 随机特征</translation>
    </message>
    <message>
        <source>the pixels, plus 2,000 fixed random combinations of them cut at zero (never trained)</source>
        <translation>像素，再加上 2,000 个固定的像素随机组合并在零处截断（从不训练）</translation>
    </message>
    <message>
        <source>pixels + edges + random features</source>
        <translation>像素 + 边缘 + 随机特征</translation>
    </message>
    <message>
        <source>the pixels, the edge directions and 1,500 fixed random features</source>
        <translation>像素、边缘方向以及 1,500 个固定的随机特征</translation>
    </message>
    <message>
        <source>as published</source>
        <translation>原样发布</translation>
    </message>
    <message>
        <source>dataset images as published; a drawing is cropped, scaled into a 20-px box and centred by its mass, the way MNIST was made</source>
        <translation>数据集图像保持发布时的样子；画的数字会被裁剪、缩放进 20 像素的方框，并按质心居中，与 MNIST 的制作方式相同</translation>
    </message>
    <message>
        <source>centred (v2)</source>
        <translation>居中（v2）</translation>
    </message>
    <message>
        <source>version 1, with drawings&apos; strokes normalised to MNIST&apos;s width, and drawings and dataset images deskewed alike</source>
        <translation>在版本 1 的基础上，把画的笔画粗细统一到 MNIST 的宽度，并对画的数字和数据集图像做同样的倾斜校正</translation>
    </message>
    <message>
        <source>digit pipeline</source>
        <translation>数字处理流程</translation>
    </message>
    <message>
        <source>drawings and dataset images through one renderer: strokes redrawn at one bold width, sized by the spread of their ink, centred and deskewed</source>
        <translation>画的数字和数据集图像经过同一个渲染器：笔画以统一的粗线重绘，按笔迹的分布大小缩放，居中并做倾斜校正</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>Not enough memory for this operation.</source>
        <extracomment>Longest message shown in a dialog; engine messages name files and can get long.</extracomment>
        <translation>内存不足，无法完成此操作。</translation>
    </message>
</context>
<context>
    <name>evaluation</name>
    <message>
        <source>trained on {trained_on}, not on {dataset}</source>
        <translation>在 {trained_on} 上训练，而不是 {dataset}</translation>
    </message>
    <message>
        <source>No evaluation yet: waiting for a model.</source>
        <translation>尚未评估：等待模型。</translation>
    </message>
    <message>
        <source>No evaluation yet: waiting for the dataset.</source>
        <translation>尚未评估：等待数据集。</translation>
    </message>
    <message>
        <source>{source} ({note})</source>
        <translation>{source}（{note}）</translation>
    </message>
    <message>
        <source>{source} expects images prepared with preprocessing version {model_version}; {dataset} was prepared with version {data_version}. To evaluate it, choose that preprocessing next to the dataset (Train tab).</source>
        <translation>{source} 需要用第 {model_version} 版预处理准备的图片；{dataset} 是用第 {data_version} 版准备的。要评估它，请在数据集旁边选择那个预处理（训练页）。</translation>
    </message>
</context>
<context>
    <name>evidence_parts</name>
    <message>
        <source>pixels</source>
        <extracomment>How each part is named in the rows (the engine&apos;s part names as keys), translated when shown.</extracomment>
        <translation>像素</translation>
    </message>
    <message>
        <source>edge directions</source>
        <translation>边缘方向</translation>
    </message>
    <message>
        <source>random features</source>
        <translation>随机特征</translation>
    </message>
    <message>
        <source>offset (bias)</source>
        <translation>偏移量（偏置）</translation>
    </message>
    <message>
        <source>= score</source>
        <translation>= 得分</translation>
    </message>
</context>
<context>
    <name>form_fields</name>
    <message>
        <source>{optimizer} only: {help}</source>
        <extracomment>The 1-2-5 ladder that scientific spin boxes step along. The editors of the form&apos;s fields.</extracomment>
        <translation>仅 {optimizer}：{help}</translation>
    </message>
</context>
<context>
    <name>formula_view</name>
    <message>
        <source>&lt;b&gt;Loss&lt;/b&gt; &amp;nbsp; {formula} &amp;nbsp; {code}</source>
        <extracomment>Values at least this large (in magnitude) are written with fixed decimals, smaller ones in scientific notation, so a probability of 3e-7 does not read as &quot;0.000&quot;.</extracomment>
        <translation>&lt;b&gt;损失&lt;/b&gt; &amp;nbsp; {formula} &amp;nbsp; {code}</translation>
    </message>
    <message>
        <source>Batch of m = {m}: mean of the m losses = {value} &amp;nbsp; {code}</source>
        <translation>m = {m} 的小批量：m 个损失的平均值 = {value} &amp;nbsp; {code}</translation>
    </message>
    <message>
        <source>L2 part {formula} &amp;nbsp; {code}</source>
        <translation>L2 项 {formula} &amp;nbsp; {code}</translation>
    </message>
    <message>
        <source>&lt;b&gt;J = {value}&lt;/b&gt; (what the step lowers)</source>
        <translation>&lt;b&gt;J = {value}&lt;/b&gt;（这一步要降低的量）</translation>
    </message>
    <message>
        <source>p before</source>
        <translation>步前 p</translation>
    </message>
    <message>
        <source>p after</source>
        <translation>步后 p</translation>
    </message>
    <message>
        <source>change</source>
        <translation>变化</translation>
    </message>
    <message>
        <source>J (all {m}, with L2): {values}</source>
        <translation>J（全部 {m} 个，含 L2）：{values}</translation>
    </message>
    <message>
        <source>J (all {m}): {values}</source>
        <translation>J（全部 {m} 个）：{values}</translation>
    </message>
    <message>
        <source>ΔW = −η · ∂J/∂W with η = {lr}: the largest change is {change}, against weights up to {scale} in size.</source>
        <translation>ΔW = −η · ∂J/∂W，η = {lr}：最大的变化是 {change}，而权重的绝对值最大为 {scale}。</translation>
    </message>
</context>
<context>
    <name>gallery</name>
    <message>
        <source>worst first (highest loss)</source>
        <extracomment>Height of the probability strip under each digit: one bar a class, height ∝ p. The true class&apos;s bar is solid blue, the predicted one hatched vermillion (a second cue besides the colour), the others grey. Thumbnails kept once drawn (~16 kB each): the list repaints the visible ones often (as it fills, scrolls, hovers), and drawing one takes ~0.3 ms. How the gallery can be ordered: key -&gt; the menu&apos;s text (translated when shown).</extracomment>
        <translation>最差的在前（损失最高）</translation>
    </message>
    <message>
        <source>test image number</source>
        <translation>测试图片编号</translation>
    </message>
    <message>
        <source>true class, then predicted</source>
        <translation>先按真实类别，再按预测类别</translation>
    </message>
    <message>
        <source>{true}→{predicted}
loss {loss}</source>
        <extracomment>The latest thumbnails drawn, by test index (least recently used first).</extracomment>
        <translation>{true}→{predicted}
损失 {loss}</translation>
    </message>
    <message>
        <source>test image {i}: true {true}, read as {predicted}</source>
        <translation>测试图片 {i}：真实为 {true}，识别为 {predicted}</translation>
    </message>
    <message>
        <source>&lt;b&gt;test image #{i}&lt;/b&gt;: true {true}, predicted {predicted}</source>
        <translation>&lt;b&gt;测试图片 #{i}&lt;/b&gt;：真实为 {true}，预测为 {predicted}</translation>
    </message>
    <message>
        <source>loss −log p({true}) = {loss}</source>
        <translation>损失 −log p({true}) = {loss}</translation>
    </message>
    <message>
        <source>p({name}) = {p} ← true</source>
        <translation>p({name}) = {p} ← 真实</translation>
    </message>
    <message>
        <source>p({name}) = {p} ← predicted</source>
        <translation>p({name}) = {p} ← 预测</translation>
    </message>
</context>
<context>
    <name>gradient_images</name>
    <message>
        <source>W[{i}, {j}]: pixel {i} = row {row}, column {column}; class {j}</source>
        <extracomment>Keys that move the keyboard cursor: (pixel rows down, mosaic columns right). Ten 28×28 images side by side are ten times wider than tall: this height (images plus their labels) fits the tab&apos;s width without empty bands above and below. The predicted frame sits this far inside the true one, so both show when they coincide.</extracomment>
        <translation>W[{i}, {j}]：像素 {i} = 第 {row} 行第 {column} 列；类别 {j}</translation>
    </message>
    <message>
        <source>W[{i}, {j}]: pixel {i} = row {row}, column {column}; class {j} ({name})</source>
        <translation>W[{i}, {j}]：像素 {i} = 第 {row} 行第 {column} 列；类别 {j}（{name}）</translation>
    </message>
    <message>
        <source>{what} for class {name}: largest {top} at row {top_row}, column {top_column}; smallest {low} at row {low_row}, column {low_column}</source>
        <translation>类别 {name} 的 {what}：最大值 {top} 在第 {top_row} 行第 {top_column} 列；最小值 {low} 在第 {low_row} 行第 {low_column} 列</translation>
    </message>
    <message>
        <source>Cursor on {weight}: {value}</source>
        <extracomment>The user clicked weight ``W[i, j]``: pixel ``i``, class ``j``.</extracomment>
        <translation>光标所在 {weight}：{value}</translation>
    </message>
</context>
<context>
    <name>image_io</name>
    <message>
        <source>{name}: file not found</source>
        <extracomment>A grey level above this (of GREY_MAX) counts as bright when deciding the polarity. Pixels with alpha below this (of 255) count as transparent background. Refuse images with more pixels than this (a decompression bomb must not fill memory).</extracomment>
        <translation>{name}：找不到文件</translation>
    </message>
    <message>
        <source>{name}: {width}×{height} pixels is too large (at most {most} pixels)</source>
        <translation>{name}：{width}×{height} 像素太大（最多 {most} 像素）</translation>
    </message>
    <message>
        <source>{name}: not a readable image ({reason})</source>
        <translation>{name}：无法读取的图像（{reason}）</translation>
    </message>
</context>
<context>
    <name>jobs</name>
    <message>
        <source>Training failed</source>
        <extracomment>How long closing the window waits for a job to notice it must stop. Jobs that may run at once: training, dataset loading, a gradient check and an evaluation (a step by hand only runs when training does not). One SGD step taken by hand (the Train tab&apos;s Step). The title of the error dialog when a job of each kind fails (English: show it with ``QCoreApplication.translate(&quot;jobs&quot;, title)``).</extracomment>
        <translation>训练失败</translation>
    </message>
    <message>
        <source>Could not load the dataset</source>
        <translation>无法加载数据集</translation>
    </message>
    <message>
        <source>Gradient check failed</source>
        <translation>梯度检验失败</translation>
    </message>
    <message>
        <source>Evaluation failed</source>
        <translation>评估失败</translation>
    </message>
    <message>
        <source>The training step failed</source>
        <translation>训练单步失败</translation>
    </message>
</context>
<context>
    <name>menus</name>
    <message>
        <source>&amp;Train</source>
        <translation>训练(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Gradient check</source>
        <translation>梯度检验(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Evaluate</source>
        <translation>评估(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Draw</source>
        <translation>画数字(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;My handwriting</source>
        <translation>我的笔迹(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Inside one step</source>
        <translation>单步详解(&amp;I)</translation>
    </message>
    <message>
        <source>Softmax models (*.npz);;All files (*)</source>
        <extracomment>A mnemonic as Chinese writes it, after the text: &quot;训练(&amp;T)&quot;.</extracomment>
        <translation>Softmax 模型 (*.npz);;所有文件 (*)</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>&lt;b&gt;Softmax GUI&lt;/b&gt;&lt;p&gt;Train a softmax regression on MNIST with L-BFGS-B or SGD, watch its cost, errors and weight templates, check its gradient, inspect its mistakes, then draw a digit and see what it thinks — and teach it your handwriting.&lt;/p&gt;</source>
        <translation>&lt;b&gt;Softmax GUI&lt;/b&gt;&lt;p&gt;用 L-BFGS-B 或 SGD 在 MNIST 上训练 softmax 回归，观察它的代价、错误率和权重模板，检验它的梯度，查看它认错的数字；然后画一个数字，看看它怎么认——还可以教它认你的笔迹。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>跟随系统语言</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open model…</source>
        <translation>打开模型(&amp;O)…</translation>
    </message>
    <message>
        <source>Open model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <source>&amp;Save model…</source>
        <translation>保存模型(&amp;S)…</translation>
    </message>
    <message>
        <source>Save model</source>
        <translation>保存模型</translation>
    </message>
    <message>
        <source>Open IDX &amp;folder…</source>
        <translation>打开 IDX 文件夹(&amp;F)…</translation>
    </message>
    <message>
        <source>Open a folder of MNIST-format IDX files</source>
        <translation>打开存放 MNIST 格式 IDX 文件的文件夹</translation>
    </message>
    <message>
        <source>&amp;Export plots as PNG…</source>
        <translation>将曲线图导出为 PNG(&amp;E)…</translation>
    </message>
    <message>
        <source>Export plots</source>
        <translation>导出曲线图</translation>
    </message>
    <message>
        <source>&amp;Clear history</source>
        <translation>清除历史(&amp;C)</translation>
    </message>
    <message>
        <source>Use the s&amp;hipped model</source>
        <translation>使用自带模型(&amp;H)</translation>
    </message>
    <message>
        <source>Read and learn with the model that comes with the app</source>
        <translation>用应用自带的模型来识别和学习</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Training</source>
        <translation>训练(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言 Language(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <source>About Softmax GUI</source>
        <translation>关于 Softmax GUI</translation>
    </message>
</context>
<context>
    <name>outcome</name>
    <message>
        <source>1 sample</source>
        <translation>1 个样本</translation>
    </message>
    <message>
        <source>{n} samples</source>
        <translation>{n} 个样本</translation>
    </message>
    <message>
        <source>{digits} and {last}</source>
        <translation>{digits} 和 {last}</translation>
    </message>
    <message>
        <source>Taught {label}, but this same drawing was also taught as {others}, and it reads {now}: delete the wrong one in My handwriting</source>
        <extracomment>An untaught digit&apos;s mean probability may fall this much before the status line says so.</extracomment>
        <translation>已教为 {label}，但同一幅图也被教成了 {others}，现在它识别为 {now}：请在“我的笔迹”中删除错的那个</translation>
    </message>
    <message>
        <source>Learnt: it reads {label}, as you taught</source>
        <translation>学会了：它识别为 {label}，和你教的一样</translation>
    </message>
    <message>
        <source>Learnt: now reads {label} (it read {before})</source>
        <translation>学会了：现在识别为 {label}（之前识别为 {before}）</translation>
    </message>
    <message>
        <source>Taught {label}, but it still reads {now}: teach it a few more {label}s</source>
        <translation>已教为 {label}，但它仍识别为 {now}：再多教它几个 {label}</translation>
    </message>
    <message>
        <source>{outcome}. “Use my handwriting” was off: teaching turned it back on</source>
        <translation>{outcome}。“使用我的笔迹”原先是关闭的：教学已把它重新打开</translation>
    </message>
    <message>
        <source>its training digits: {before} → {after}</source>
        <translation>它的训练数字：{before} → {after}</translation>
    </message>
    <message>
        <source>{cost}; {less_sure}</source>
        <translation>{cost}；{less_sure}</translation>
    </message>
    <message>
        <source>{digit}s read less surely: {before} → {after}</source>
        <translation>对 {digit} 的把握降低了：{before} → {after}</translation>
    </message>
    <message>
        <source>{outcome} · {cost}</source>
        <translation>{outcome} · {cost}</translation>
    </message>
    <message>
        <source>the shipped model</source>
        <translation>自带模型</translation>
    </message>
    <message>
        <source>“{model}”</source>
        <translation>“{model}”</translation>
    </message>
    <message>
        <source>{model} + your handwriting (1 sample)</source>
        <translation>{model} + 你的笔迹（1 个样本）</translation>
    </message>
    <message>
        <source>{model} + your handwriting ({n} samples)</source>
        <translation>{model} + 你的笔迹（{n} 个样本）</translation>
    </message>
    <message>
        <source>Reading with: {model} + your 1 digit</source>
        <translation>识别所用模型：{model}，加上你的 1 个数字</translation>
    </message>
    <message>
        <source>Reading with: {model} + your {n} digits</source>
        <translation>识别所用模型：{model}，加上你的 {n} 个数字</translation>
    </message>
    <message>
        <source>Reading with: {model}; your 1 digit is not used</source>
        <translation>识别所用模型：{model}；你的 1 个数字未使用</translation>
    </message>
    <message>
        <source>Reading with: {model}; your {n} digits are not used</source>
        <translation>识别所用模型：{model}；你的 {n} 个数字未使用</translation>
    </message>
    <message>
        <source>Reading with: {model}</source>
        <translation>识别所用模型：{model}</translation>
    </message>
    <message>
        <source>Reading with: {model} (not the shipped model) + your 1 digit</source>
        <translation>识别所用模型：{model}（不是自带模型），加上你的 1 个数字</translation>
    </message>
    <message>
        <source>Reading with: {model} (not the shipped model) + your {n} digits</source>
        <translation>识别所用模型：{model}（不是自带模型），加上你的 {n} 个数字</translation>
    </message>
    <message>
        <source>Reading with: {model} (not the shipped model); your 1 digit is not used</source>
        <translation>识别所用模型：{model}（不是自带模型）；你的 1 个数字未使用</translation>
    </message>
    <message>
        <source>Reading with: {model} (not the shipped model); your {n} digits are not used</source>
        <translation>识别所用模型：{model}（不是自带模型）；你的 {n} 个数字未使用</translation>
    </message>
    <message>
        <source>Reading with: {model} (not the shipped model)</source>
        <translation>识别所用模型：{model}（不是自带模型）</translation>
    </message>
</context>
<context>
    <name>plot_data</name>
    <message>
        <source>iteration</source>
        <extracomment>x-axis choices: Progress attribute -&gt; axis label (English; shown through ``QCoreApplication.translate(&quot;plot_data&quot;, label)``).</extracomment>
        <translation>迭代次数</translation>
    </message>
    <message>
        <source>epoch (passes over the data)</source>
        <translation>轮（遍历数据的次数）</translation>
    </message>
    <message>
        <source>time (s)</source>
        <translation>时间（秒）</translation>
    </message>
</context>
<context>
    <name>plot_describe</name>
    <message>
        <source>1 earlier run is drawn faintly.</source>
        <translation>另有 1 次之前的运行以淡色显示。</translation>
    </message>
    <message>
        <source>{n} earlier runs are drawn faintly.</source>
        <translation>另有 {n} 次之前的运行以淡色显示。</translation>
    </message>
    <message>
        <source>{first} {second}</source>
        <translation>{first}{second}</translation>
    </message>
    <message>
        <source>No run yet.</source>
        <translation>尚未运行。</translation>
    </message>
    <message>
        <source>Run {run}: no figures yet.</source>
        <translation>第 {run} 次运行：还没有数据。</translation>
    </message>
    <message>
        <source>Run {run}: cost {cost} at iteration {step} (x axis: {axis}).</source>
        <translation>第 {run} 次运行：第 {step} 次迭代时代价为 {cost}（横轴：{axis}）。</translation>
    </message>
    <message>
        <source>Run {run}: test error {test}%, train error {train}% at iteration {step} (dashed: train, solid: test).</source>
        <translation>第 {run} 次运行：第 {step} 次迭代时测试集错误率 {test}%，训练集错误率 {train}%（虚线：训练集，实线：测试集）。</translation>
    </message>
</context>
<context>
    <name>preprocessing_choice</name>
    <message>
        <source>version {n}</source>
        <extracomment>Versions offered in the menu (besides automatic).</extracomment>
        <translation>版本 {n}</translation>
    </message>
    <message>
        <source>{name} ({n})</source>
        <translation>{name}（{n}）</translation>
    </message>
</context>
<context>
    <name>probability_bars</name>
    <message>
        <source>read as {top}, {p} sure; then {second}, {q}</source>
        <extracomment>Minimum on-screen size of the Draw tab&apos;s 28×28 images: 6 screen pixels per model pixel (the bars&apos; preferred width is four of them). Non-top bars use the highlight colour at this opacity (0–255), so the winner stands out. Bars below this probability get no percentage label (ten &quot;&lt;0.1%&quot; labels are noise). The log scale&apos;s bottom: smaller probabilities get no bar. Decades from here to 1 are marked by faint lines.</extracomment>
        <translation>识别为 {top}，把握 {p}；其次是 {second}，{q}</translation>
    </message>
</context>
<context>
    <name>probability_view</name>
    <message>
        <source>Draw a digit</source>
        <extracomment>The headline of an empty page (translated where it is shown).</extracomment>
        <translation>画一个数字</translation>
    </message>
</context>
<context>
    <name>report</name>
    <message>
        <source>“Not seen”: each of your digits is read by a model taught on all your other digits, never on that one, as a new drawing would be.</source>
        <extracomment>Below this many samples of a digit, cross-validation has nothing of it left to learn from.</extracomment>
        <translation>“没见过”：你的每个数字都由一个用你其余所有数字教过、但从没见过这一个的模型来识别，就像识别一幅新画的数字一样。</translation>
    </message>
    <message>
        <source>Too few to tell yet: every digit was taught only once, so when one is left out nothing like it is left to learn from. Teach each digit at least {min} times.</source>
        <translation>样本太少，还看不出效果：每个数字都只教了一次，留出一个时，就没有相似的样本可学了。每个数字至少教 {min} 次。</translation>
    </message>
    <message>
        <source>1 digit was taught only once: left out, nothing like it is left to learn from, so it counts against “after”. Teach each digit at least {min} times for a fair figure.</source>
        <translation>有 1 个数字只教了一次：把它留出后，没有相似的样本可学，所以它会拉低“教后”的结果。每个数字至少教 {min} 次，结果才公平。</translation>
    </message>
    <message>
        <source>{n} digits were taught only once: left out, nothing like them is left to learn from, so they count against “after”. Teach each digit at least {min} times for a fair figure.</source>
        <translation>有 {n} 个数字只教了一次：把它们留出后，没有相似的样本可学，所以它们会拉低“教后”的结果。每个数字至少教 {min} 次，结果才公平。</translation>
    </message>
    <message>
        <source>&lt;b&gt;On your digits it has not seen:&lt;/b&gt; {before} of {n} right before teaching; “after” needs at least {min} samples.</source>
        <translation>&lt;b&gt;在它没见过的你的数字上：&lt;/b&gt;教之前 {n} 个中识别对 {before} 个；“教后”至少需要 {min} 个样本。</translation>
    </message>
    <message>
        <source>&lt;b&gt;On your digits it has not seen:&lt;/b&gt; {before} of {n} right before teaching, {after} of {n} after.</source>
        <translation>&lt;b&gt;在它没见过的你的数字上：&lt;/b&gt;教之前 {n} 个中识别对 {before} 个，教之后对 {after} 个。</translation>
    </message>
    <message>
        <source>Measured {when} with 1 sample on {model}.</source>
        <translation>于 {when} 用 1 个样本在{model}上测量。</translation>
    </message>
    <message>
        <source>Measured {when} with {n} samples on {model}.</source>
        <translation>于 {when} 用 {n} 个样本在{model}上测量。</translation>
    </message>
    <message>
        <source>Measured {when} with 1 sample.</source>
        <translation>于 {when} 用 1 个样本测量。</translation>
    </message>
    <message>
        <source>Measured {when} with {n} samples.</source>
        <translation>于 {when} 用 {n} 个样本测量。</translation>
    </message>
    <message>
        <source>You have {n} now: measure again to update.</source>
        <translation>你现在有 {n} 个样本：请重新测量以更新结果。</translation>
    </message>
    <message>
        <source>the test set</source>
        <translation>测试集</translation>
    </message>
    <message>
        <source>&lt;b&gt;On {name} (what it learnt first):&lt;/b&gt; {before} before, {after} after.</source>
        <translation>&lt;b&gt;在 {name} 上（它最初学的）：&lt;/b&gt;教之前 {before}，教之后 {after}。</translation>
    </message>
    <message>
        <source>Fewer right after: the left-out digits look unlike the others taught as the same digit (few samples, or several people&apos;s writing). More of your own usual writing will help.</source>
        <translation>教后识别对的反而更少：留出的数字和教成同一数字的其他样本不太像（样本太少，或混有几个人的笔迹）。多教一些你平常写法的数字会有帮助。</translation>
    </message>
</context>
<context>
    <name>run_summary</name>
    <message>
        <source>running…</source>
        <extracomment>It ended by its own rule short of converging: its budget, SGD&apos;s early stop, a solver that could go no further (its reason says which). An error ended it without a result. What the table calls an outcome (the history stores the value, never these words).</extracomment>
        <translation>运行中…</translation>
    </message>
    <message>
        <source>converged</source>
        <translation>已收敛</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>diverged</source>
        <translation>已发散</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>已结束</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>by hand, lr {lr}, batch {batch}</source>
        <extracomment>The engine&apos;s reason for ending -&gt; the outcome shown. Shown for a figure a run does not have (no test set, not finished yet).</extracomment>
        <translation>手动，学习率 {lr}，批量 {batch}</translation>
    </message>
    <message>
        <source>l2 {l2}, tol {tol}</source>
        <translation>l2 {l2}，阈值 {tol}</translation>
    </message>
    <message>
        <source>lr {lr}, {epochs} ep, {schedule}</source>
        <translation>学习率 {lr}，{epochs} 轮，{schedule}</translation>
    </message>
    <message>
        <source>lr {lr}, {epochs} ep, {schedule}, {augment} augment</source>
        <translation>学习率 {lr}，{epochs} 轮，{schedule}，{augment}增强</translation>
    </message>
    <message>
        <source>l2 {l2}</source>
        <translation>l2 {l2}</translation>
    </message>
    <message>
        <source>tol {tol}</source>
        <translation>阈值 {tol}</translation>
    </message>
    <message>
        <source>seed {seed}</source>
        <translation>种子 {seed}</translation>
    </message>
    <message>
        <source>lr {lr}</source>
        <translation>学习率 {lr}</translation>
    </message>
    <message>
        <source>batch {n}</source>
        <translation>批量 {n}</translation>
    </message>
    <message>
        <source>by hand</source>
        <translation>手动</translation>
    </message>
    <message>
        <source>max {n} iterations</source>
        <translation>最多 {n} 次迭代</translation>
    </message>
    <message>
        <source>{schedule} schedule</source>
        <translation>{schedule}调度</translation>
    </message>
    <message>
        <source>momentum {m}</source>
        <translation>动量 {m}</translation>
    </message>
    <message>
        <source>1 epoch</source>
        <translation>1 轮</translation>
    </message>
    <message>
        <source>{n} epochs</source>
        <translation>{n} 轮</translation>
    </message>
    <message>
        <source>{augment} augmentation</source>
        <translation>{augment}数据增强</translation>
    </message>
    <message>
        <source>{dataset} + my handwriting, prep. {version}</source>
        <translation>{dataset} + 我的笔迹，预处理 {version}</translation>
    </message>
    <message>
        <source>{dataset}, prep. {version}</source>
        <translation>{dataset}，预处理 {version}</translation>
    </message>
    <message>
        <source>run {n} · {optimizer} {settings}</source>
        <translation>第 {n} 次运行 · {optimizer} {settings}</translation>
    </message>
    <message>
        <source>{model} · {data} · diverged</source>
        <translation>{model} · {data} · 已发散</translation>
    </message>
    <message>
        <source>{model} · {data}</source>
        <translation>{model} · {data}</translation>
    </message>
</context>
<context>
    <name>run_words</name>
    <message>
        <source>converged (tolerance {tol})</source>
        <extracomment>The stop reason recorded for a run of steps taken by hand (not an engine StopReason).</extracomment>
        <translation>已收敛（阈值 {tol}）</translation>
    </message>
    <message>
        <source>stopped at {n} of {total}</source>
        <translation>已停止于 {n}/{total}</translation>
    </message>
    <message>
        <source>stopped at iteration {n}</source>
        <translation>已停止于第 {n} 次迭代</translation>
    </message>
    <message>
        <source>reached 1 epoch</source>
        <translation>已完成 1 轮</translation>
    </message>
    <message>
        <source>reached {n} epochs</source>
        <translation>已完成 {n} 轮</translation>
    </message>
    <message>
        <source>reached 1 iteration</source>
        <translation>已达到 1 次迭代</translation>
    </message>
    <message>
        <source>reached {n} iterations</source>
        <translation>已达到 {n} 次迭代</translation>
    </message>
    <message>
        <source>reached the solver&apos;s limit on cost evaluations after {n} iterations</source>
        <translation>{n} 次迭代后达到了求解器计算代价的次数上限</translation>
    </message>
    <message>
        <source>stopped early in epoch {epoch}: the mean training cost did not fall by more than the tolerance {tol}</source>
        <translation>在第 {epoch} 轮提前停止：训练集平均代价的下降没有超过阈值 {tol}</translation>
    </message>
    <message>
        <source>stopped early: the mean training cost did not fall by more than the tolerance {tol}</source>
        <translation>提前停止：训练集平均代价的下降没有超过阈值 {tol}</translation>
    </message>
    <message>
        <source>diverged at step {n}: the cost grew far above where it started; kept the last good weights (try a smaller learning rate)</source>
        <translation>在第 {n} 步发散：代价远远超过了起始值；已保留最后一组正常的权重（试试更小的学习率）</translation>
    </message>
    <message>
        <source>diverged at step {n}: the cost or the weights stopped being finite numbers; kept the last good weights (try a smaller learning rate)</source>
        <translation>在第 {n} 步发散：代价或权重不再是有限数；已保留最后一组正常的权重（试试更小的学习率）</translation>
    </message>
    <message>
        <source>no further progress after {n} iterations: the solver could not lower the cost</source>
        <translation>{n} 次迭代后无法继续改进：求解器无法再降低代价</translation>
    </message>
    <message>
        <source>no step yet</source>
        <translation>还没有单步</translation>
    </message>
    <message>
        <source>1 step by hand</source>
        <translation>手动单步 1 次</translation>
    </message>
    <message>
        <source>{n} steps by hand</source>
        <translation>手动单步 {n} 次</translation>
    </message>
</context>
<context>
    <name>stages_view</name>
    <message>
        <source>&lt;b&gt;x&lt;/b&gt;: the {side}×{side} pixels read row by row into {n} numbers in [0, 1] &amp;nbsp; {code}</source>
        <extracomment>The ε engine.finite_difference uses when not given one (shown beside its result). Gap level between the images of the batch mosaic (ink is 1, the page 0): a faint grid.</extracomment>
        <translation>&lt;b&gt;x&lt;/b&gt;：{side}×{side} 的像素逐行读成 {n} 个 [0, 1] 之间的数 &amp;nbsp; {code}</translation>
    </message>
    <message>
        <source>&lt;b&gt;x&lt;/b&gt;: the {n} features the model&apos;s input map makes of the image&lt;br&gt;({parts}),&lt;br&gt;each standardised (minus its mean, over its spread on the training images):&lt;br&gt;{code}&lt;br&gt;The picture is the image; the gradient below shows the pixel part of x as images.</source>
        <translation>&lt;b&gt;x&lt;/b&gt;：模型的输入映射由图像得到的 {n} 个特征&lt;br&gt;（{parts}），&lt;br&gt;每个都经过标准化（减去它在训练图像上的均值，再除以标准差）：&lt;br&gt;{code}&lt;br&gt;图中是原图像；下面的梯度只把 x 的像素部分画成图像。</translation>
    </message>
</context>
<context>
    <name>status_notice</name>
    <message>
        <source>⚠ Your handwriting samples could not be read: see My handwriting</source>
        <extracomment>The notices&apos; short texts, in English: they name a notice (shown translated).</extracomment>
        <translation>⚠ 无法读取你的笔迹样本：请看“我的笔迹”</translation>
    </message>
    <message>
        <source>⚠ The model to open could not be read: using the shipped one</source>
        <translation>⚠ 无法读取要打开的模型：正在使用自带模型</translation>
    </message>
</context>
<context>
    <name>weights_view</name>
    <message>
        <source>weights</source>
        <extracomment>Diverging map of the templates: blue (against) through a near-white zero to vermillion (for), the app&apos;s pair for the common colour-vision deficiencies (never red against green). Level from this percentile of |W|, so a few extreme pixels do not wash out the rest. The colour bar&apos;s level changes only when the new level differs by more than this fraction: redrawing its axis on every frame would cost more than the templates. The strip&apos;s least height with the edge glyphs: two rows of ten, each cell&apos;s eight rays a few screen pixels long (at 200 px they were dots), and the Train tab still fits a 1280×800 window.</extracomment>
        <translation>权重</translation>
    </message>
    <message>
        <source>Top: the {what} of the {n} pixels (standardised inputs).</source>
        <translation>上方：{n} 个像素的{what}（标准化后的输入）。</translation>
    </message>
    <message>
        <source>Pictured: the {what} of the {n} pixels (standardised inputs).</source>
        <translation>图中：{n} 个像素的{what}（标准化后的输入）。</translation>
    </message>
    <message>
        <source>Plus {n} other features: not pictured.</source>
        <translation>另有 {n} 个其他特征：未画出。</translation>
    </message>
    <message>
        <source>Bottom: the {n} edge-direction weights: {legend}.</source>
        <translation>下方：{n} 个边缘方向权重：{legend}。</translation>
    </message>
    <message>
        <source>Plus {n} edge-direction features: not pictured here.</source>
        <translation>另有 {n} 个边缘方向特征：此处未画出。</translation>
    </message>
    <message>
        <source>Plus {n} random features: their weights cannot be pictured as an image.</source>
        <translation>另有 {n} 个随机特征：它们的权重无法画成图像。</translation>
    </message>
    <message>
        <source>{first} {second}</source>
        <translation>{first}{second}</translation>
    </message>
</context>
<context>
    <name>window_jobs</name>
    <message>
        <source>{name}: {n_train} training / {n_test} test images</source>
        <translation>{name}：{n_train} 张训练图像 / {n_test} 张测试图像</translation>
    </message>
    <message>
        <source>The current model expects images prepared with preprocessing version {model}; {dataset} was prepared with version {data}.</source>
        <translation>当前模型需要用第 {model} 版预处理的图像；{dataset} 用的是第 {data} 版。</translation>
    </message>
</context>
<context>
    <name>window_state</name>
    <message>
        <source>The last model opened, {path}, is gone: opened the shipped model</source>
        <translation>上次打开的模型 {path} 已不存在：已打开自带模型</translation>
    </message>
    <message>
        <source>The last dataset folder, {path}, is gone: loading the bundled MNIST</source>
        <translation>上次的数据集文件夹 {path} 已不存在：正在加载自带的 MNIST</translation>
    </message>
</context>
<context>
    <name>worker_tasks</name>
    <message>
        <source>Your handwriting samples could not be read: {problem}. The file could not be moved aside ({why}), so new samples will not be saved this session.</source>
        <translation>无法读取你的笔迹样本：{problem}。该文件也无法移到一旁（{why}），所以本次使用期间不会保存新的样本。</translation>
    </message>
    <message>
        <source>Your handwriting samples could not be read: {problem}. The file was kept as {name}; starting with no samples.</source>
        <translation>无法读取你的笔迹样本：{problem}。该文件已另存为 {name}；现在从零个样本开始。</translation>
    </message>
</context>
</TS>
