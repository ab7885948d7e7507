// The drawing pad of mnist37 (chapter 07c, nbs/07c_pad.ipynb): `pad_html` puts this script into the page, with the
// models' layout (SPEC) and weights (B64) filled in. It fetches nothing. Its arithmetic is tested against torch's there.
(() => {
const SPEC = __SPEC__;  // the tensors' names, shapes and byte offsets, the CNN's layers, the pen, the 28x28 step
const B64 = '__WEIGHTS__';  // every tensor, float32 little-endian, one after the other
const here = document.currentScript, free = document.querySelectorAll('.mnist37-pad:not([data-ready])');
const root = (here && here.closest && here.closest('.mnist37-pad')) || free[free.length - 1];
if (!root || root.dataset.ready) return;
root.dataset.ready = 'yes';

const raw = atob(B64), dv = new DataView(new ArrayBuffer(raw.length)), T = {};
for (let i = 0; i < raw.length; i++) dv.setUint8(i, raw.charCodeAt(i));
for (const [name, shape, offset] of SPEC.tensors) {
  const a = new Float32Array(shape.reduce((n, d) => n * d, 1));
  for (let i = 0; i < a.length; i++) a[i] = dv.getFloat32(offset + 4 * i, true);
  T[name] = a;
}
const N = SPEC.size, P = N * N;

// A drawing as an MNIST digit: the same arithmetic as to_mnist28 in Python
function overlaps(c, s, lo, hi) {  // [N, hi - lo]: how much of drawing pixel p lies in output pixel j
  const n = hi - lo, a = new Float64Array(N * n);
  for (let j = 0; j < N; j++) {
    const e0 = c + (j - (N / 2 + 0.5)) / s, e1 = c + (j + 1 - (N / 2 + 0.5)) / s;
    for (let p = lo; p < hi; p++) a[j * n + p - lo] = Math.max(0, Math.min(p + 1, e1) - Math.max(p, e0));
  }
  return a;
}
function toMnist28(ink, W, H) {  // ink: W*H numbers 0..1, row by row -> Float64Array(N*N)
  let x0 = W, x1 = -1, y0 = H, y1 = -1, m = 0, mx = 0, my = 0;
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const v = ink[y * W + x];
    if (!(v > 0)) continue;
    if (x < x0) x0 = x; if (x > x1) x1 = x; if (y < y0) y0 = y; if (y > y1) y1 = y;
    m += v; mx += v * (x + 0.5); my += v * (y + 0.5);
  }
  const out = new Float64Array(P);
  if (x1 < 0) return out;
  x1 += 1; y1 += 1;
  const bw = x1 - x0, bh = y1 - y0, s = SPEC.box / Math.max(bw, bh);
  const ax = overlaps(mx / m, s, x0, x1), ay = overlaps(my / m, s, y0, y1), tmp = new Float64Array(bh * N);
  for (let y = 0; y < bh; y++) for (let j = 0; j < N; j++) {
    let t = 0;
    for (let x = 0; x < bw; x++) t += ink[(y + y0) * W + x + x0] * ax[j * bw + x];
    tmp[y * N + j] = t;
  }
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) {
    let t = 0;
    for (let y = 0; y < bh; y++) t += ay[i * bh + y] * tmp[y * N + j];
    out[i * N + j] = s * s * t;
  }
  return out;
}

// The models, on one image x (P numbers): each gives a score, over 0 for a 3
function baseline(x) {  // chapter 01: root mean squared distance to each mean digit
  let a = 0, b = 0;
  for (let p = 0; p < P; p++) { const u = x[p] - T.mean3[p], v = x[p] - T.mean7[p]; a += u * u; b += v * v; }
  const d3 = Math.sqrt(a / P), d7 = Math.sqrt(b / P);
  return {score: d7 - d3, d3, d7};
}
function linear(x) {  // chapter 02: x @ w + b
  const w = T['linear.w'];
  let s = 0;
  for (let p = 0; p < P; p++) s += x[p] * w[p];
  return s + T['linear.b'][0];
}
function relu(x) {  // chapter 05: (x @ w1 + b1).relu() @ w2 + b2
  const w1 = T['relu.w1'], b1 = T['relu.b1'], w2 = T['relu.w2'], H = b1.length, h = Float64Array.from(b1);
  for (let p = 0; p < P; p++) { const v = x[p]; if (v) for (let k = 0; k < H; k++) h[k] += v * w1[p * H + k]; }
  let s = 0;
  for (let k = 0; k < H; k++) s += Math.max(0, h[k]) * w2[k];
  return s + T['relu.b2'][0];
}
function cnn(x) {  // chapter 06: Conv2d (+ ReLU) layers, then Flatten; [score of 3, score of 7]
  let a = x, C = 1, H = N, W = N;
  for (const L of SPEC.cnn) {
    const w = T[L.w], b = T[L.b], k = L.k, st = L.stride, pd = L.pad;
    const Ho = Math.floor((H + 2 * pd - k) / st) + 1, Wo = Math.floor((W + 2 * pd - k) / st) + 1;
    const out = new Float64Array(L.co * Ho * Wo);
    for (let o = 0; o < L.co; o++) for (let oy = 0; oy < Ho; oy++) for (let ox = 0; ox < Wo; ox++) {
      let s = b[o];
      for (let c = 0; c < C; c++) for (let ky = 0; ky < k; ky++) {
        const iy = oy * st - pd + ky;
        if (iy < 0 || iy >= H) continue;
        for (let kx = 0; kx < k; kx++) {
          const ix = ox * st - pd + kx;
          if (ix >= 0 && ix < W) s += w[((o * C + c) * k + ky) * k + kx] * a[(c * H + iy) * W + ix];
        }
      }
      out[(o * Ho + oy) * Wo + ox] = L.relu ? Math.max(0, s) : s;
    }
    a = out; C = L.co; H = Ho; W = Wo;
  }
  return Array.from(a);
}
function ten(x) {  // chapter 08: softmax(x @ w + b), one probability per class (the classes in SPEC.ten)
  const w = T['ten.w'], b = T['ten.b'], K = b.length, z = Float64Array.from(b);
  for (let p = 0; p < P; p++) { const v = x[p]; if (v) for (let k = 0; k < K; k++) z[k] += v * w[p * K + k]; }
  const m = Math.max(...z);  // subtracted before exp: the same probabilities, no overflow
  let s = 0;
  for (let k = 0; k < K; k++) { z[k] = Math.exp(z[k] - m); s += z[k]; }
  return Array.from(z, v => v / s);
}
function scores(images) {  // images: arrays of P numbers -> every model's scores, as the Python models give them
  const r = {baseline: [], linear: [], relu: [], cnn: []};
  if (SPEC.ten) r.ten = [];
  for (const x of images) {
    r.baseline.push(baseline(x).score); r.linear.push(linear(x)); r.relu.push(relu(x)); r.cnn.push(cnn(x));
    if (SPEC.ten) r.ten.push(ten(x));
  }
  return r;
}

const sigmoid = z => 1 / (1 + Math.exp(-z)), f = v => v.toFixed(Math.abs(v) < 10 ? 2 : 1);
const pct = p => (p < 0.001 ? '<0.1' : p > 0.999 ? '>99.9' : (100 * p).toFixed(1)) + '%';
const MODELS = {
  baseline: x => { const r = baseline(x);
                    return {score: r.score,
                            text: `distance to mean 3: ${r.d3.toFixed(3)}, mean 7: ${r.d7.toFixed(3)}`}; },
  linear: x => { const s = linear(x); return {score: s, p: sigmoid(s), text: `score ${f(s)}: P(3) ${pct(sigmoid(s))}`}; },
  relu: x => { const s = relu(x); return {score: s, p: sigmoid(s), text: `score ${f(s)}: P(3) ${pct(sigmoid(s))}`}; },
  cnn: x => { const [a, b] = cnn(x), p = sigmoid(a - b);
              return {score: a - b, p, text: `scores 3: ${f(a)}, 7: ${f(b)}: P(3) ${pct(p)}`}; },
};

// The pad
const pad = root.querySelector('.m37-draw'), g = pad.getContext('2d', {willReadFrequently: true});
const inG = root.querySelector('.m37-in').getContext('2d'), linG = root.querySelector('.m37-lin').getContext('2d');
g.fillStyle = g.strokeStyle = '#000'; g.lineWidth = SPEC.pen; g.lineCap = g.lineJoin = 'round';
let last = null, pending = false;
function penDown(x, y) { last = [x, y]; g.beginPath(); g.arc(x, y, SPEC.pen / 2, 0, 2 * Math.PI); g.fill(); later(); }
function penMove(x, y) {
  if (!last) return;
  g.beginPath(); g.moveTo(last[0], last[1]); g.lineTo(x, y); g.stroke(); last = [x, y]; later();
}
function penUp() { if (last) { last = null; update(); } }
function later() { if (!pending) { pending = true; requestAnimationFrame(update); } }
function alpha() {  // the drawing's ink: its alpha channel, 0..255
  const d = g.getImageData(0, 0, pad.width, pad.height).data, a = new Uint8Array(d.length / 4);
  for (let i = 0; i < a.length; i++) a[i] = d[4 * i + 3];
  return a;
}
function paint(x) {  // the 28x28 image (ink dark, as the chapters plot it); the linear model's weight x ink, red > 0,
                     // blue < 0, colour strength the square root of its size over the largest's (faint ones show too)
  const im = inG.createImageData(N, N), lm = linG.createImageData(N, N), w = T['linear.w'];
  let cmax = 0;
  for (let p = 0; p < P; p++) cmax = Math.max(cmax, Math.abs(w[p] * x[p]));
  for (let p = 0; p < P; p++) {
    const v = 255 * (1 - x[p]), c = w[p] * x[p], base = 255 - 70 * x[p];
    const t = cmax > 0 ? Math.sqrt(Math.abs(c) / cmax) : 0;
    const col = c > 0 ? [214, 39, 40] : [31, 119, 180];
    for (let q = 0; q < 3; q++) { im.data[4 * p + q] = v; lm.data[4 * p + q] = base + (col[q] - base) * t; }
    im.data[4 * p + 3] = lm.data[4 * p + 3] = 255;
  }
  inG.putImageData(im, 0, 0); linG.putImageData(lm, 0, 0);
}
function update() {  // the drawing -> 28x28 -> every model's verdict, on the page; returns them too
  pending = false;
  const a = alpha(), ink = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) ink[i] = a[i] / 255;
  const x = toMnist28(ink, pad.width, pad.height), empty = !x.some(v => v > 0), res = {};
  paint(x);
  for (const row of root.querySelectorAll('[data-model]')) {
    const key = row.dataset.model, r = empty ? null : MODELS[key](x), verdict = r ? (r.score > 0 ? '3' : '7') : '';
    row.dataset.verdict = verdict;
    row.classList.toggle('m37-none', !r);
    row.querySelector('.m37-verdict').textContent = verdict || '\u00b7';
    row.querySelector('.m37-score').textContent = r ? r.text : '\u00a0';
    if (r && r.p !== undefined) row.querySelector('.m37-bar > span').style.width = (100 * r.p).toFixed(1) + '%';
    res[key] = r && {verdict, score: r.score, p: r.p};
  }
  const tenRow = root.querySelector('.m37-ten');
  if (tenRow) {  // the ten-class model: its digit, and its three likeliest classes with their probabilities
    const p = empty ? null : ten(x), top = p && p.map((v, k) => [SPEC.ten[k], v]).sort((a, b) => b[1] - a[1]).slice(0, 3);
    tenRow.dataset.digit = top ? top[0][0] : '';
    tenRow.classList.toggle('m37-none', !top);
    tenRow.querySelector('.m37-verdict').textContent = top ? top[0][0] : '\u00b7';
    tenRow.querySelector('.m37-score').textContent = top ? top.map(([c, v]) => `${c}: ${pct(v)}`).join(', ') : '\u00a0';
    if (top) res.ten = {digit: top[0][0], top3: top, p};
  }
  return {image: Array.from(x), verdicts: empty ? null : res};
}
function clear() { g.clearRect(0, 0, pad.width, pad.height); last = null; return update(); }
function draw(strokes) {  // strokes: [[[x, y], ...], ...] in the canvas's pixels, drawn as the pen draws them
  for (const st of strokes) { penDown(...st[0]); for (const q of st.slice(1)) penMove(...q); penUp(); }
  return update();
}

function at(e) {
  const r = pad.getBoundingClientRect();
  return [(e.clientX - r.left) * pad.width / r.width, (e.clientY - r.top) * pad.height / r.height];
}
if (window.PointerEvent) {
  pad.addEventListener('pointerdown', e => {
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    e.preventDefault(); pad.setPointerCapture(e.pointerId); penDown(...at(e));
  });
  pad.addEventListener('pointermove', e => {
    if (!last) return;
    e.preventDefault();
    const all = e.getCoalescedEvents ? e.getCoalescedEvents() : [];
    for (const o of all.length ? all : [e]) penMove(...at(o));
  });
  for (const t of ['pointerup', 'pointercancel']) pad.addEventListener(t, penUp);
} else {  // older browsers: mouse and touch events
  pad.addEventListener('mousedown', e => { e.preventDefault(); penDown(...at(e)); });
  window.addEventListener('mousemove', e => { if (last) penMove(...at(e)); });
  window.addEventListener('mouseup', penUp);
  pad.addEventListener('touchstart', e => { e.preventDefault(); penDown(...at(e.touches[0])); }, {passive: false});
  pad.addEventListener('touchmove', e => { e.preventDefault(); penMove(...at(e.touches[0])); }, {passive: false});
  pad.addEventListener('touchend', penUp);
}
root.querySelector('.m37-clear').addEventListener('click', clear);

// For tests and the curious: document.querySelector('.mnist37-pad').mnist37Pad
root.mnist37Pad = {scores, toMnist28, draw, clear, update, alpha, models: {baseline, linear, relu, cnn, ten}, spec: SPEC};
update();
})();
