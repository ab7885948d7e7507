// The training page of mnist37 (nbs/07d_train.ipynb): `train_html` puts this script into the page, with SPEC and the
// images (uint8, deflated, base64) filled in. It fetches nothing. Its training is checked against torch's there.
(() => {
const SPEC = __SPEC__;  // sizes of the splits, the defaults of chapters 02 and 05, the links of the knobs
const DATA = __DATA__;  // {split: [3s, 7s, base64 of the images' bytes (784 each), zlib-compressed]}
const root = document.getElementById(SPEC.id);
if (!root || root.dataset.ready) return;
root.dataset.ready = 'yes';
const P = 784, $ = s => root.querySelector(s), f32 = Math.fround;

// Seeded random numbers: mulberry32, and Box-Muller for normal draws
function rng(seed) {
  let a = seed >>> 0;
  const u = () => { a = (a + 0x6D2B79F5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1);
                    t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
  return {u, normal: () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u())};
}

// The data: the images as floats 0..1 (byte / 255, as torch holds them); label 1 for a 3, 0 for a 7
let TX, TY, VX, VY;
async function unpack([n3, n7, b64]) {  // the browser's own zlib: DecompressionStream
  const bin = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
  const s = new Blob([bin]).stream().pipeThrough(new DecompressionStream('deflate'));
  const u8 = new Uint8Array(await new Response(s).arrayBuffer());
  return [Float32Array.from(u8, v => v / 255), Uint8Array.from({length: n3 + n7}, (_, i) => i < n3 ? 1 : 0)];
}
async function decode() { [TX, TY] = await unpack(DATA.train); [VX, VY] = await unpack(DATA.valid); }

// The models of chapters 02 and 05, forward and backward by hand, float32 parameters
let M = null;  // {kind, w, b} or {kind, w1, b1, w2, b2, H}
function init(kind, std, seed) {
  const r = rng(seed), nrm = (n, s) => Float32Array.from({length: n}, () => r.normal() * s);
  if (kind === 'linear') return {kind, w: nrm(P, std), b: nrm(1, std)};   // fit_linear: w and b ~ N(0, std)
  const H = SPEC.hidden;                                                   // init_simple_net
  return {kind, H, w1: nrm(P * H, 1 / Math.sqrt(P)), b1: new Float32Array(H), w2: nrm(H, 1 / Math.sqrt(H)), b2: new Float32Array(1)};
}
function forward(x, o, keep) {  // the score of image o of x (and the hidden layer, for the backward pass)
  // float32 products and sums, as torch's: a huge product overflows to Infinity, and Infinity - Infinity is NaN
  if (M.kind === 'linear') { let p = M.b[0]; for (let j = 0; j < P; j++) p = f32(p + f32(x[o + j] * M.w[j])); return p; }
  const H = M.H, z = keep || new Float32Array(H);
  for (let k = 0; k < H; k++) z[k] = M.b1[k];
  for (let j = 0; j < P; j++) { const v = x[o + j]; if (v) { const r = j * H; for (let k = 0; k < H; k++) z[k] += f32(v * M.w1[r + k]); } }
  let p = M.b2[0];
  for (let k = 0; k < H; k++) if (z[k] > 0) p = f32(p + f32(z[k] * M.w2[k]));
  return p;
}
const sigmoid = p => 1 / (1 + Math.exp(-p));
function sgdStep(idx, lr) {  // one batch: mnist_loss, its gradient by hand, p -= lr * grad; returns the batch's loss
  const n = idx.length; let loss = 0;
  if (M.kind === 'linear') {
    const gw = new Float64Array(P); let gb = 0;
    for (const i of idx) {
      const s = sigmoid(forward(TX, i * P)), y = TY[i];
      loss += y === 1 ? 1 - s : s;
      const dp = (y === 1 ? -1 : 1) * s * (1 - s) / n;    // d loss / d score, through the mean and the sigmoid
      for (let j = 0; j < P; j++) gw[j] += TX[i * P + j] * dp;
      gb += dp;
    }
    for (let j = 0; j < P; j++) M.w[j] = f32(M.w[j] - lr * f32(gw[j]));
    M.b[0] = f32(M.b[0] - lr * f32(gb));
  } else {
    const H = M.H, gw1 = new Float64Array(P * H), gb1 = new Float64Array(H), gw2 = new Float64Array(H), z = new Float32Array(H);
    let gb2 = 0;
    for (const i of idx) {
      const s = sigmoid(forward(TX, i * P, z)), y = TY[i], o = i * P;
      loss += y === 1 ? 1 - s : s;
      const dp = (y === 1 ? -1 : 1) * s * (1 - s) / n;
      gb2 += dp;
      for (let k = 0; k < H; k++) {
        if (!(z[k] > 0)) continue;                       // back through the ReLU: only where it let the sum pass
        gw2[k] += z[k] * dp;
        const dz = dp * M.w2[k]; gb1[k] += dz;
        for (let j = 0; j < P; j++) { const v = TX[o + j]; if (v) gw1[j * H + k] += v * dz; }
      }
    }
    for (let q = 0; q < P * H; q++) M.w1[q] = f32(M.w1[q] - lr * f32(gw1[q]));
    for (let k = 0; k < H; k++) { M.b1[k] = f32(M.b1[k] - lr * f32(gb1[k])); M.w2[k] = f32(M.w2[k] - lr * f32(gw2[k])); }
    M.b2[0] = f32(M.b2[0] - lr * f32(gb2));
  }
  return f32(loss / n);
}
function wrong() {  // the validation images the model gets wrong (a score over 0 means a 3)
  const out = [], z = new Float32Array(SPEC.hidden);
  for (let i = 0; i < VY.length; i++) if ((forward(VX, i * P, z) > 0 ? 1 : 0) !== VY[i]) out.push(i);
  return out;
}

// The run: settings, the batch order of each epoch, the history
const S = {model: 'linear', std: 1 / 28, shuffle: true, seed: 0, ...SPEC.defaults.linear};
let R;
function reset() {
  M = init(S.model, S.std, S.seed);
  R = {r: rng(S.seed + 1), epoch: 0, pos: 0, perm: null, steps: 0, losses: [], sum: 0, seen: 0, acc: [], wrong: null,
       order: null, msg: '', t0: 0, secs: [], running: false};
  R.wrong = wrong(); draw();
}
function newPerm() {  // this epoch's order: given (load), shuffled by the page's PRNG, or in order
  const n = TY.length;
  if (R.order && R.order[R.epoch]) return Int32Array.from(R.order[R.epoch]);
  const p = Int32Array.from({length: n}, (_, i) => i);
  if (!S.shuffle) return p;
  for (let i = n - 1; i > 0; i--) { const j = Math.floor(R.r.u() * (i + 1)); [p[i], p[j]] = [p[j], p[i]]; }
  return n > 1 && n % S.bs === 1 ? p.slice(0, n - 1) : p;   // as TensorBatches: no last batch of one image
}
const fmtG = v => {  // a number as Python's f'{v:g}' writes it: 0.1, 1e-05, 1e+30
  const e = Math.floor(Math.log10(Math.abs(v))), t = Number(v.toPrecision(6));
  if (e >= -4 && e < 6) return String(t);
  const [m, x] = t.toExponential().split('e'); return `${m}e${x[0]}${x.slice(1).padStart(2, '0')}`;
};
function step() {  // one batch; at the end of an epoch, the validation errors
  if (R.msg) return false;
  if (!R.perm) { R.perm = newPerm(); R.pos = 0; R.sum = 0; R.seen = 0; R.t0 = performance.now(); }
  const idx = R.perm.subarray(R.pos, R.pos + S.bs), loss = sgdStep(idx, S.lr);
  R.pos += idx.length; R.steps++; R.losses.push(loss); R.sum += loss * idx.length; R.seen += idx.length;
  if (R.pos >= R.perm.length) {
    const l = R.sum / R.seen;
    if (!isFinite(l)) {   // the library's check_finite, word for word
      R.msg = `the training loss became ${isNaN(l) ? 'nan' : l > 0 ? 'inf' : '-inf'} in epoch ${R.epoch + 1} of ${S.epochs} at lr ${fmtG(S.lr)}: lower the learning rate`;
      R.running = false; return false;
    }
    R.wrong = wrong(); R.acc.push(1 - R.wrong.length / VY.length);
    R.secs.push((performance.now() - R.t0) / 1000); R.epoch++; R.perm = null;
  }
  return true;
}
function epoch() { const e = R.epoch; while (R.epoch === e && step()); draw(); return params(); }
const NAMES = {linear: ['w', 'b'], relu: ['w1', 'b1', 'w2', 'b2']};
function params() { return NAMES[M.kind].map(k => Array.from(M[k])); }  // in the library's order, each flattened
function load(kind, ps, orders, lr, bs) {  // torch's initial parameters and batch orders, for the parity check
  Object.assign(S, {model: kind, lr, bs, epochs: orders ? orders.length : S.epochs}); reset(); R.order = orders || null;
  NAMES[kind].forEach((k, i) => { M[k] = Float32Array.from(ps[i]); });
  if (kind === 'relu') M.H = M.b1.length;
  R.wrong = wrong(); showKnobs(); draw(); return true;
}
const accuracy = () => 1 - R.wrong.length / VY.length;
function train(epochs) {  // whole epochs at once (the benchmark): seconds taken
  const t = performance.now(); for (let e = 0; e < epochs && !R.msg; e++) epoch(); return (performance.now() - t) / 1000;
}
function run() {  // in slices of ~25 ms between frames, so the page stays responsive
  if (R.running) return; R.running = true; draw();
  const slice = () => {
    if (!R.running) return;
    const t = performance.now();
    while (performance.now() - t < 25 && R.epoch < S.epochs && step());
    if (R.epoch >= S.epochs || R.msg) R.running = false;
    draw(); if (R.running) setTimeout(slice, 0);
  };
  setTimeout(slice, 0);
}

// The views
function grey(g, x, o, dx, dy) {  // one 28x28 image, ink dark (cmap Greys)
  const im = g.createImageData(28, 28);
  for (let p = 0; p < P; p++) { const v = 255 * (1 - x[o + p]); im.data.set([v, v, v, 255], 4 * p); }
  g.putImageData(im, dx, dy);
}
function redBlue(g, w, stride, k, dx, dy) {  // 784 weights, red > 0 (to 3), blue < 0 (to 7), white 0
  let m = 0; for (let p = 0; p < P; p++) m = Math.max(m, Math.abs(w[p * stride + k]));
  const im = g.createImageData(28, 28);
  for (let p = 0; p < P; p++) {
    const v = m > 0 ? w[p * stride + k] / m : 0, t = Math.abs(v), c = v > 0 ? [214, 39, 40] : [31, 119, 180];
    im.data.set([255 + (c[0] - 255) * t, 255 + (c[1] - 255) * t, 255 + (c[2] - 255) * t, 255], 4 * p);
  }
  g.putImageData(im, dx, dy);
}
function curve(c, ys, lo, hi, colour) {
  const g = c.getContext('2d'), W = c.width, Hh = c.height;
  g.clearRect(0, 0, W, Hh); g.strokeStyle = '#ccc'; g.strokeRect(0.5, 0.5, W - 1, Hh - 1);
  if (!ys.length) return;
  g.strokeStyle = colour; g.lineWidth = 1.5; g.beginPath();
  ys.forEach((y, i) => { const X = ys.length > 1 ? i / (ys.length - 1) * (W - 4) + 2 : W / 2;
                         const Y = Hh - 2 - (Math.min(Math.max(y, lo), hi) - lo) / (hi - lo) * (Hh - 4);
                         i ? g.lineTo(X, Y) : g.moveTo(X, Y); });
  g.stroke();
}
function draw() {
  const wc = $('.m37-weights'), g = wc.getContext('2d');
  if (M.kind === 'linear') { wc.width = 28; wc.height = 28; redBlue(g, M.w, 1, 0, 0, 0); }
  else { wc.width = 28 * 6; wc.height = 28 * 5; for (let k = 0; k < M.H; k++) redBlue(g, M.w1, M.H, k, 28 * (k % 6), 28 * Math.floor(k / 6)); }
  $('.m37-wcap').textContent = M.kind === 'linear' ? 'the 784 weights: red pushes to 3, blue to 7'
                                                   : `the ${M.H} hidden units' weights, one 28×28 image each`;
  curve($('.m37-loss'), R.losses, 0, Math.max(0.5, ...R.losses.filter(isFinite)), '#d62728');
  curve($('.m37-acc'), R.acc, 0.5, 1, '#2ca02c');
  const mc = $('.m37-wrong'), mg = mc.getContext('2d'); mg.clearRect(0, 0, mc.width, mc.height);
  R.wrong.slice(0, 40).forEach((i, q) => grey(mg, VX, i * P, 28 * (q % 10), 28 * Math.floor(q / 10)));
  const acc = R.acc.length ? R.acc[R.acc.length - 1] : 1 - R.wrong.length / VY.length;
  root.dataset.accuracy = acc.toFixed(4); root.dataset.steps = R.steps; root.dataset.epoch = R.epoch;
  root.dataset.running = R.running ? 'yes' : '';
  $('.m37-status').textContent = `epoch ${R.epoch} of ${S.epochs}, step ${R.steps}` +
    (R.losses.length ? `, last batch loss ${R.losses[R.losses.length - 1].toFixed(4)}` : '') +
    `; validation accuracy ${(100 * acc).toFixed(2)}% (${R.wrong.length} of ${VY.length} wrong)` +
    (R.secs.length ? `; ${(1000 * R.secs[R.secs.length - 1]).toFixed(0)} ms per epoch` : '');
  $('.m37-acccap').textContent = `validation accuracy after each epoch (50% to 100%)` + (R.acc.length ? `: ${(100 * acc).toFixed(2)}%` : '');
  $('.m37-wrongcap').textContent = `the ${R.wrong.length} validation images it gets wrong now` + (R.wrong.length > 40 ? ' (the first 40)' : '');
  $('.m37-msg').textContent = R.msg;
  $('.m37-run').disabled = R.running; $('.m37-pause').disabled = !R.running;
  verdict();
}

// The knobs: a bad value is refused with one line, and the old value stays
const KNOBS = {
  lr: v => (v > 0 && v <= SPEC.lrMax) || `the learning rate must be a positive number no larger than ${SPEC.lrMax.toPrecision(3)} (the largest float32)`,
  bs: v => (Number.isInteger(v) && v >= 1) || 'the batch size must be a whole number, at least 1',
  epochs: v => (Number.isInteger(v) && v >= 1) || 'epochs must be a whole number, at least 1',
  std: v => (v > 0 && isFinite(v)) || 'the std must be a positive number (e.g. 1 or 1/28)',
  seed: v => (Number.isInteger(v) && v >= 0) || 'the seed must be a whole number, 0 or more',
};
const parse = s => { s = s.trim(); const m = s.match(/^([^/]+)\/([^/]+)$/); return s === '' ? NaN : m ? Number(m[1]) / Number(m[2]) : Number(s); };
function showKnobs() {
  for (const k in KNOBS) { const e = $(`[name=${k}]`); e.value = k === 'std' && Math.abs(S.std - 1 / 28) < 1e-12 ? '1/28' : S[k]; }
  $('[name=model]').value = S.model; $('[name=shuffle]').checked = S.shuffle;
}
for (const k in KNOBS) {
  const e = $(`[name=${k}]`);
  e.addEventListener('change', () => {
    const v = parse(e.value), ok = KNOBS[k](v), bad = $(`.m37-bad[data-for=${k}]`);
    if (ok !== true) { bad.textContent = `${ok}: "${e.value}" refused`; e.setAttribute('aria-invalid', 'true'); showKnobs(); return; }
    bad.textContent = ''; e.removeAttribute('aria-invalid'); S[k] = v;
    if (k === 'std' || k === 'seed') { R.running = false; reset(); }
  });
}
$('[name=model]').addEventListener('change', e => {
  S.model = e.target.value; Object.assign(S, SPEC.defaults[S.model]); R.running = false; reset(); showKnobs();
});
$('[name=shuffle]').addEventListener('change', e => { S.shuffle = e.target.checked; });
$('.m37-step').addEventListener('click', () => { step(); draw(); });
$('.m37-run').addEventListener('click', () => { if (R.epoch >= S.epochs) S.epochs = R.epoch + SPEC.defaults[S.model].epochs, showKnobs(); run(); });
$('.m37-pause').addEventListener('click', () => { R.running = false; draw(); });
$('.m37-reset').addEventListener('click', () => { R.running = false; reset(); });

// Teach it your own digits: the drawing pad's 28x28 step (pad.js's own code), then "add as 3" / "add as 7"
const N = 28;
__TOMNIST28__
const pad = $('.m37-draw'), pg = pad.getContext('2d', {willReadFrequently: true});
pg.lineWidth = 20; pg.lineCap = pg.lineJoin = 'round'; pg.fillStyle = pg.strokeStyle = '#000';
let last = null, added = [0, 0];
function padImage() {
  const d = pg.getImageData(0, 0, pad.width, pad.height).data, ink = new Float64Array(d.length / 4);
  for (let i = 0; i < ink.length; i++) ink[i] = d[4 * i + 3] / 255;
  return Float32Array.from(toMnist28(ink, pad.width, pad.height));
}
function verdict() {
  if (!M) return;
  const x = padImage(), empty = !x.some(v => v > 0);
  grey($('.m37-in').getContext('2d'), x, 0, 0, 0);
  const s = empty ? null : forward(x, 0);
  $('.m37-verdict').textContent = empty ? 'draw a 3 or a 7: the model just trained gives its verdict'
    : `the model says ${s > 0 ? '3' : '7'} (P(3) = ${(100 * sigmoid(s)).toFixed(1)}%)`;
  root.dataset.verdict = empty ? '' : s > 0 ? '3' : '7';
}
function addDrawing(label) {  // the drawing joins the training set, label 1 for a 3, 0 for a 7
  const x = padImage(); if (!x.some(v => v > 0)) return false;
  const tx = new Float32Array(TX.length + P); tx.set(TX); tx.set(x, TX.length); TX = tx;
  const ty = new Uint8Array(TY.length + 1); ty.set(TY); ty[TY.length] = label; TY = ty;
  added[1 - label]++;  // it joins the batches from the next epoch on
  $('.m37-added').textContent = `your digits in the training set: ${added[0]} as 3, ${added[1]} as 7 (from the next epoch)`;
  pg.clearRect(0, 0, pad.width, pad.height); verdict(); return true;
}
const at = e => { const r = pad.getBoundingClientRect(); return [(e.clientX - r.left) * pad.width / r.width, (e.clientY - r.top) * pad.height / r.height]; };
pad.addEventListener('pointerdown', e => { e.preventDefault(); pad.setPointerCapture(e.pointerId); last = at(e);
  pg.beginPath(); pg.arc(...last, 10, 0, 2 * Math.PI); pg.fill(); });
pad.addEventListener('pointermove', e => { if (!last) return; e.preventDefault(); const q = at(e);
  pg.beginPath(); pg.moveTo(...last); pg.lineTo(...q); pg.stroke(); last = q; });
for (const t of ['pointerup', 'pointercancel']) pad.addEventListener(t, () => { if (last) { last = null; verdict(); } });
$('.m37-clear').addEventListener('click', () => { pg.clearRect(0, 0, pad.width, pad.height); verdict(); });
$('.m37-add3').addEventListener('click', () => addDrawing(1));
$('.m37-add7').addEventListener('click', () => addDrawing(0));

// For tests and the curious: document.getElementById(id).mnist37Train
root.mnist37Train = {ready: decode().then(() => { showKnobs(); reset(); root.dataset.loaded = 'yes'; }),
                     load, accuracy, step: () => { const r = step(); draw(); return r; }, epoch, params, train, run, reset,
                     addDrawing, toMnist28, state: () => ({...S, epoch: R.epoch, steps: R.steps, msg: R.msg, acc: R.acc.slice()}),
                     set: o => { Object.assign(S, o); showKnobs(); }};
})();
