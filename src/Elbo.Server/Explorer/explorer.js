// The latent explorer of `elbo serve`: plain JavaScript and a canvas, served by Elbo itself; it talks only to this
// server's /api. State: the current latent point z (moved by the pointer over the plane and by the sliders), the
// plane (two latent dimensions or the PCA plane of the test codes) and the last two clicked test points.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);
  // Tableau 10, as the report's plots (src/Elbo/Plotting/Palette.cs); unlabelled points are grey.
  const palette = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
  const neutral = '#555555';
  const sliderRange = 3;
  const canvas = $('scatter');
  const context = canvas.getContext('2d');
  const margin = 28;

  let model, explorer, z, plane, bounds, labels, selected = [], decodes = 0, shownZ = null;

  async function getJson(path) {
    const response = await fetch(path);
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    return response.json();
  }

  async function post(path, body) {
    const response = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const answer = await response.json();
    if (!response.ok) throw new Error(`${path}: ${answer.error}`);
    return answer;
  }

  function fail(error) {
    $('status').textContent = String(error.message || error);
    console.error(error);
  }

  function colour(label) { return label < 0 ? neutral : palette[label % palette.length]; }
  function labelName(label) { return label < 0 ? 'no label' : (model.labelNames && model.labelNames[label]) || String(label); }
  function dims() { return explorer.ranking; }

  // ---- the plane ---------------------------------------------------------------------------------------------

  function coordinates(i) {
    if (plane.kind === 'pca') return explorer.pca.coordinates[i];
    const mu = explorer.mu[i];
    return [mu[plane.x], plane.y === null ? 0 : mu[plane.y]];
  }

  // Where the latent point zz lies in the plane.
  function project(zz) {
    if (plane.kind === 'pca') {
      const p = explorer.pca;
      let a = 0, b = 0;
      for (let u = 0; u < zz.length; u++) {
        a += (zz[u] - p.mean[u]) * p.axes[0][u];
        b += (zz[u] - p.mean[u]) * p.axes[1][u];
      }
      return [a, b];
    }
    return [zz[plane.x], plane.y === null ? 0 : zz[plane.y]];
  }

  // The latent point at (a, b) of the plane: two coordinates of z replaced, or the PCA plane's point.
  function unproject(a, b) {
    if (plane.kind === 'pca') {
      const p = explorer.pca;
      return p.mean.map((m, u) => m + a * p.axes[0][u] + b * p.axes[1][u]);
    }
    const zz = z.slice();
    zz[plane.x] = a;
    if (plane.y !== null) zz[plane.y] = b;
    return zz;
  }

  function computeBounds() {
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (let i = 0; i < explorer.points; i++) {
      const [a, b] = coordinates(i);
      x0 = Math.min(x0, a); x1 = Math.max(x1, a); y0 = Math.min(y0, b); y1 = Math.max(y1, b);
    }
    if (plane.kind === 'dims') { // the prior's bulk stays in view
      x0 = Math.min(x0, -sliderRange); x1 = Math.max(x1, sliderRange); y0 = Math.min(y0, -sliderRange); y1 = Math.max(y1, sliderRange);
    }
    const px = (x1 - x0) * 0.05 || 1, py = (y1 - y0) * 0.05 || 1;
    bounds = { x0: x0 - px, x1: x1 + px, y0: y0 - py, y1: y1 + py };
  }

  function toCanvas(a, b) {
    const w = canvas.width - 2 * margin, h = canvas.height - 2 * margin;
    return [margin + (a - bounds.x0) / (bounds.x1 - bounds.x0) * w, margin + (bounds.y1 - b) / (bounds.y1 - bounds.y0) * h];
  }

  function fromCanvas(x, y) {
    const w = canvas.width - 2 * margin, h = canvas.height - 2 * margin;
    return [bounds.x0 + (x - margin) / w * (bounds.x1 - bounds.x0), bounds.y1 - (y - margin) / h * (bounds.y1 - bounds.y0)];
  }

  function axisName(k) {
    if (plane.kind === 'pca') return `PC${k + 1} (${(explorer.pca.explained[k] * 100).toFixed(0)} %)`;
    const d = k === 0 ? plane.x : plane.y;
    return d === null ? '' : `z${d}`;
  }

  function draw() {
    context.clearRect(0, 0, canvas.width, canvas.height);
    context.strokeStyle = '#bbb';
    context.lineWidth = 1;
    const [ox, oy] = toCanvas(0, 0);
    context.beginPath();
    context.moveTo(margin, oy); context.lineTo(canvas.width - margin, oy);
    context.moveTo(ox, margin); context.lineTo(ox, canvas.height - margin);
    context.stroke();
    context.globalAlpha = 0.7;
    for (let i = 0; i < explorer.points; i++) {
      const [x, y] = toCanvas(...coordinates(i));
      context.fillStyle = colour(labels[i]);
      context.beginPath();
      context.arc(x, y, 2.4, 0, 2 * Math.PI);
      context.fill();
    }
    context.globalAlpha = 1;
    context.lineWidth = 2;
    selected.forEach((i, k) => {
      const [x, y] = toCanvas(...coordinates(i));
      context.strokeStyle = k === selected.length - 1 ? '#000' : '#666';
      context.beginPath();
      context.arc(x, y, 6, 0, 2 * Math.PI);
      context.stroke();
    });
    const [cx, cy] = toCanvas(...project(z));
    context.strokeStyle = '#c00';
    context.lineWidth = 1.5;
    context.beginPath();
    context.moveTo(cx - 8, cy); context.lineTo(cx + 8, cy);
    context.moveTo(cx, cy - 8); context.lineTo(cx, cy + 8);
    context.stroke();
    context.fillStyle = '#444';
    context.font = '12px system-ui, sans-serif';
    context.textAlign = 'right';
    context.fillText(axisName(0), canvas.width - margin, canvas.height - 8);
    context.textAlign = 'left';
    context.fillText(axisName(1), 4, 16);
    context.fillStyle = '#888';
    context.fillText(bounds.x0.toFixed(1), margin, canvas.height - 8);
    context.fillText(bounds.y0.toFixed(1), 4, canvas.height - margin);
    context.fillText(bounds.y1.toFixed(1), 4, margin + 12);
    context.textAlign = 'right';
    context.fillText(bounds.x1.toFixed(1), canvas.width - margin - 40, canvas.height - 8);
  }

  function nearestPoint(x, y) {
    let best = -1, bestDistance = 64; // within 8 pixels
    for (let i = 0; i < explorer.points; i++) {
      const [px, py] = toCanvas(...coordinates(i));
      const d = (px - x) ** 2 + (py - y) ** 2;
      if (d < bestDistance) { best = i; bestDistance = d; }
    }
    return best;
  }

  function canvasPosition(event) {
    const box = canvas.getBoundingClientRect();
    return [(event.clientX - box.left) * canvas.width / box.width, (event.clientY - box.top) * canvas.height / box.height];
  }

  // ---- showing examples -------------------------------------------------------------------------------------

  // A picture scaled up by a whole factor where it is small: 4× (at most 160 px) alone or in a pair, 3× (at most
  // 128 px) in a strip.
  function picture(base64, caption, inStrip) {
    const figure = document.createElement('figure');
    const img = document.createElement('img');
    img.className = 'picture';
    img.src = 'data:image/png;base64,' + base64;
    const w = model.shape[2];
    img.width = inStrip ? Math.max(56, Math.min(128, w * 3)) : Math.max(84, Math.min(160, w * 4));
    img.alt = caption;
    figure.appendChild(img);
    if (caption) {
      const text = document.createElement('figcaption');
      text.textContent = caption;
      figure.appendChild(text);
    }
    return figure;
  }

  function cell(value) {
    if (value === null || value === undefined) return '—';
    if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toPrecision(4);
    return String(value);
  }

  // Rows as a table, one table row per given row (headers: the columns), or transposed for a single row.
  function rowsTable(rows, names) {
    const table = document.createElement('table');
    const columns = Object.keys(rows[0] || {});
    const head = table.insertRow();
    ['column', ...names].forEach((n) => { const th = document.createElement('th'); th.textContent = n; head.appendChild(th); });
    for (const c of columns) {
      const tr = table.insertRow();
      tr.insertCell().textContent = c;
      rows.forEach((r) => { tr.insertCell().textContent = cell(r[c]); });
    }
    return table;
  }

  function show(target, examples, captions) {
    const box = $(target);
    box.replaceChildren();
    if (examples.images) {
      const strip = document.createElement('div');
      const inStrip = examples.images.length > 2;
      strip.className = inStrip ? 'strip' : 'pair';
      examples.images.forEach((image, k) => strip.appendChild(picture(image, captions[k] || '', inStrip)));
      box.appendChild(strip);
    } else if (examples.rows) {
      box.appendChild(rowsTable(examples.rows, captions));
    } else {
      const pre = document.createElement('pre');
      pre.textContent = examples.values.map((v) => v.map((x) => x.toFixed(3)).join(', ')).join('\n');
      box.appendChild(pre);
    }
  }

  function merge(a, b) {
    if (a.images) return { images: [...a.images, ...b.images] };
    if (a.rows) return { rows: [...a.rows, ...b.rows] };
    return { values: [...a.values, ...b.values] };
  }

  // ---- decoding, with at most one request in flight: the latest point wins -------------------------------------

  let inFlight = false, pending = null;

  function decodeLabels() {
    return model.conditional ? [Number($('decode-class').value)] : undefined;
  }

  function requestDecode() {
    pending = z.slice();
    if (!inFlight) pump();
  }

  async function pump() {
    inFlight = true;
    document.body.dataset.decoding = 'true';
    while (pending) {
      const point = pending;
      pending = null;
      try {
        const answer = await post('/api/decode', { z: [point], labels: decodeLabels() });
        show('decoded', answer, ['']);
        shownZ = point;
        decodes++;
        document.body.dataset.decodes = String(decodes);
      } catch (error) { fail(error); }
    }
    inFlight = false;
    document.body.dataset.decoding = 'false';
  }

  function readout() {
    $('z-readout').textContent = 'z = (' + z.map((v) => v.toFixed(2)).join(', ') + ')';
  }

  // ---- sliders --------------------------------------------------------------------------------------------------

  function buildSliders() {
    const box = $('sliders');
    box.replaceChildren();
    $('sliders-title').textContent = `Latent dimensions (by ${explorer.informationName}, from ${explorer.informationSource})`;
    for (const d of dims()) {
      const row = document.createElement('div');
      row.className = 'slider';
      const name = document.createElement('label');
      name.textContent = `z${d}`;
      name.htmlFor = `slider-${d}`;
      const input = document.createElement('input');
      input.type = 'range';
      input.id = `slider-${d}`;
      input.min = String(-sliderRange);
      input.max = String(sliderRange);
      input.step = '0.01';
      input.value = '0';
      input.dataset.dim = String(d);
      const value = document.createElement('span');
      value.className = 'value';
      value.textContent = '0.00';
      const info = document.createElement('span');
      info.className = 'info';
      info.textContent = `${explorer.informationName} ${explorer.information[d].toFixed(2)}`;
      input.addEventListener('input', () => {
        z[d] = Number(input.value);
        value.textContent = z[d].toFixed(2);
        readout();
        draw();
        requestDecode();
      });
      row.append(name, input, value, info);
      box.appendChild(row);
    }
  }

  function syncSliders() {
    for (const input of $('sliders').querySelectorAll('input')) {
      const d = Number(input.dataset.dim);
      input.value = String(Math.max(-sliderRange, Math.min(sliderRange, z[d])));
      input.parentElement.querySelector('.value').textContent = z[d].toFixed(2);
    }
    readout();
  }

  // ---- the plane's controls ---------------------------------------------------------------------------------------

  function option(select, value, text) {
    const o = document.createElement('option');
    o.value = value;
    o.textContent = text;
    select.appendChild(o);
  }

  function buildControls() {
    const planeSelect = $('plane');
    if (model.latent >= 2) option(planeSelect, 'dims', `two dimensions (by ${explorer.informationName})`);
    else option(planeSelect, 'dims', 'z0');
    if (explorer.pca) option(planeSelect, 'pca', 'PCA plane of the codes');
    for (const id of ['dim-x', 'dim-y']) for (const d of dims()) option($(id), String(d), `z${d}`);
    $('dim-x').value = String(dims()[0]);
    if (model.latent >= 2) $('dim-y').value = String(dims()[1]);
    else $('pair').hidden = true;
    planeSelect.addEventListener('change', choosePlane);
    $('dim-x').addEventListener('change', choosePlane);
    $('dim-y').addEventListener('change', choosePlane);
    if (model.conditional) {
      $('class-choice').hidden = false;
      for (let k = 0; k < model.classes; k++) option($('decode-class'), String(k), labelName(k));
      $('decode-class').addEventListener('change', requestDecode);
    }
    $('reset').addEventListener('click', () => { z = z.map(() => 0); syncSliders(); draw(); requestDecode(); });
    const legend = $('legend');
    const present = [...new Set(labels)].sort((a, b) => a - b);
    for (const l of present) {
      const span = document.createElement('span');
      span.style.setProperty('--c', colour(l));
      span.textContent = labelName(l);
      legend.appendChild(span);
    }
  }

  function choosePlane() {
    const kind = $('plane').value;
    plane = kind === 'pca' ? { kind: 'pca' } : { kind: 'dims', x: Number($('dim-x').value), y: model.latent >= 2 ? Number($('dim-y').value) : null };
    $('pair').hidden = kind === 'pca' || model.latent < 2;
    computeBounds();
    draw();
  }

  // ---- pointer ----------------------------------------------------------------------------------------------------

  function onMove(event) {
    const [x, y] = canvasPosition(event);
    z = unproject(...fromCanvas(x, y));
    syncSliders();
    draw();
    requestDecode();
  }

  async function onClick(event) {
    const [x, y] = canvasPosition(event);
    const i = nearestPoint(x, y);
    if (i < 0) return;
    selected = [...selected.filter((s) => s !== i), i].slice(-2);
    z = explorer.mu[i].slice();
    syncSliders();
    draw();
    requestDecode();
    try {
      const pair = await post('/api/reconstruct', { test: [i] });
      show('example', merge(pair.inputs, pair.reconstructions), [`test ${i} (${labelName(labels[i])})`, 'reconstruction']);
      document.body.dataset.example = String(i);
      if (selected.length === 2) {
        const steps = 8;
        const path = await post('/api/interpolate', { test: selected, steps });
        const captions = path.z.map((_, k) => k === 0 ? `test ${selected[0]}` : k === steps - 1 ? `test ${selected[1]}` : '');
        show('interpolation', path.decoded, captions);
        document.body.dataset.interpolation = selected.join(',');
      }
    } catch (error) { fail(error); }
  }

  // ---- start -------------------------------------------------------------------------------------------------------

  async function start() {
    [model, explorer] = await Promise.all([getJson('/api/model'), getJson('/api/explorer')]);
    labels = explorer.labels;
    z = new Array(model.latent).fill(0);
    const run = model.run.split('/').filter((p) => p).pop();
    $('run').textContent = `${run}: ${model.model}, latent ${model.latent}, ${model.likelihood} likelihood, ${model.dataset}; ` +
      `${explorer.points.toLocaleString('en')} test points`;
    buildControls();
    buildSliders();
    choosePlane();
    readout();
    canvas.addEventListener('mousemove', onMove);
    canvas.addEventListener('click', onClick);
    requestDecode();
    // For tests and scripts: where test point i is drawn, in CSS pixels from the canvas's top left corner, and the
    // latent point whose decoding is shown. document.body's data-decodes counts decodings shown, data-decoding is
    // 'true' while one is in flight, data-example and data-interpolation name the test points last shown.
    window.elboExplorer = {
      pointOnCanvas(i) {
        const [x, y] = toCanvas(...coordinates(i));
        const box = canvas.getBoundingClientRect();
        return { x: x * box.width / canvas.width, y: y * box.height / canvas.height };
      },
      shownZ() { return shownZ; },
    };
    document.body.dataset.ready = 'true';
  }

  start().catch(fail);
})();
