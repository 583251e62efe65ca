// Dashboard charts (progressive enhancement): reads the JSON data island #dashboard-chart-data and draws
// the trend of each indicator card and the district bar chart with Chart.js (window.Chart, the UMD build
// from /static/frontend/vendor/, loaded by a deferred classic script just before this module).
// Without JavaScript, or if Chart.js is missing, the data tables on the page are the charts.
// Fonts come from the page's computed font size, so elder mode (>= 24px) and the text-size control apply.
// Each canvas has role="img" and an aria-label with every value; the tables stay as the text alternative.

const island = document.getElementById("dashboard-chart-data");
const Chart = window.Chart;

function cssVar(name, fallback) {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

function formatValue(value, unit) {
  if (value === null || value === undefined) return "—";
  return unit === "%" ? `${value}%` : String(value);
}

// Percentages stop at 100% (when every value does); counts get whole-number ticks.
function valueAxis(unit, top, limit) {
  const percent = unit === "%" && top <= 100;
  return {
    beginAtZero: true,
    suggestedMax: percent ? 100 : (top * 1.15 || 1),
    max: percent ? 100 : undefined,
    ticks: { maxTicksLimit: limit, precision: unit === "%" ? undefined : 0 },
  };
}

function comparisonText(comparison) {
  return { ">=": "≥", ">": ">", "<=": "≤", "<": "<" }[comparison] || comparison || "";
}

// Draws the target as a dashed line with a text label (colour is never the only carrier of meaning).
const targetLine = {
  id: "bxTarget",
  afterDatasetsDraw(chart, _args, options) {
    if (options.value === null || options.value === undefined) return;
    const horizontal = chart.options.indexAxis === "y";
    const scale = horizontal ? chart.scales.x : chart.scales.y;
    const area = chart.chartArea;
    const pos = scale.getPixelForValue(options.value);
    const ctx = chart.ctx;
    ctx.save();
    ctx.strokeStyle = options.color;
    ctx.lineWidth = 3;
    ctx.setLineDash([8, 6]);
    ctx.beginPath();
    if (horizontal) {
      ctx.moveTo(pos, area.top);
      ctx.lineTo(pos, area.bottom);
    } else {
      ctx.moveTo(area.left, pos);
      ctx.lineTo(area.right, pos);
    }
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = options.color;
    ctx.font = `bold ${options.fontSize}px ${options.fontFamily}`;
    ctx.textBaseline = "bottom";
    const text = options.label;
    if (horizontal) {
      const width = ctx.measureText(text).width;
      ctx.textAlign = "left";
      ctx.fillText(text, Math.min(pos + 4, area.right - width), area.top);
    } else {
      ctx.textAlign = "right";
      ctx.fillText(text, area.right, pos - 2);
    }
    ctx.restore();
  },
};

function mountCanvas(box, label, height) {
  box.style.position = "relative";
  box.style.height = `${Math.round(height)}px`;
  box.style.marginBottom = "1em";
  const canvas = document.createElement("canvas");
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", label);
  canvas.textContent = label; // fallback content for browsers without canvas
  box.appendChild(canvas);
  return canvas;
}

function draw() {
  if (!island || !Chart) return;
  const data = JSON.parse(island.textContent);
  const body = getComputedStyle(document.body);
  const fontSize = parseFloat(body.fontSize) || 16; // >= 24 in elder mode
  const fontFamily = body.fontFamily;
  const fg = cssVar("--c-fg", "#1a1a1a");
  const primary = cssVar("--c-primary", "#0b57d0");
  const grid = cssVar("--c-line-soft", "#d9d5cc");
  const targetColour = cssVar("--c-danger", "#b3261e");

  Chart.defaults.font.size = fontSize;
  Chart.defaults.font.family = fontFamily;
  Chart.defaults.color = fg;
  Chart.defaults.animation = false; // no motion; also makes the charts ready at once

  const font = { size: fontSize, family: fontFamily };
  const targetOptions = (target, comparison, unit) => ({
    value: target,
    label: `${data.text.target} ${comparisonText(comparison)} ${formatValue(target, unit)}`,
    color: targetColour,
    fontSize,
    fontFamily,
  });
  const axis = (unit, top, limit) => {
    const out = valueAxis(unit, top, limit);
    out.ticks = { ...out.ticks, font, callback: (v) => formatValue(v, unit) };
    out.grid = { color: grid };
    return out;
  };
  const tooltip = {
    titleFont: font,
    bodyFont: font,
    padding: Math.round(fontSize / 2),
  };

  for (const box of document.querySelectorAll("[data-chart-trend]")) {
    const trend = data.trends[box.dataset.chartTrend];
    if (!trend) continue;
    const canvas = mountCanvas(box, trend.label, fontSize * 12);
    const values = trend.values.filter((v) => v !== null);
    const top = Math.max(...values, trend.target ?? 0);
    new Chart(canvas, {
      type: "line",
      data: {
        labels: trend.years,
        datasets: [{
          label: data.text.value,
          data: trend.values,
          borderColor: primary,
          backgroundColor: primary,
          borderWidth: 3,
          pointRadius: Math.max(4, fontSize / 5),
          spanGaps: true,
        }],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        layout: { padding: { top: fontSize * 1.6 } },
        plugins: {
          legend: { display: false },
          tooltip: { ...tooltip, callbacks: { label: (item) => formatValue(item.raw, trend.unit) } },
          bxTarget: trend.target === null ? {} : targetOptions(trend.target, trend.comparison, trend.unit),
        },
        scales: {
          x: { ticks: { font }, grid: { color: grid } },
          y: axis(trend.unit, top, 4),
        },
      },
      plugins: [targetLine],
    });
  }

  const district = data.district;
  const box = document.querySelector("[data-chart-district]");
  if (district && box) {
    const rowHeight = fontSize * 2.2;
    const canvas = mountCanvas(box, district.label, rowHeight * district.labels.length + fontSize * 5);
    const values = district.values.filter((v) => v !== null);
    const top = Math.max(...values, district.target ?? 0, 0);
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: district.labels,
        datasets: [{
          label: data.text.value,
          data: district.values,
          backgroundColor: primary,
          borderColor: primary,
          borderWidth: 1,
          barPercentage: 0.8,
        }],
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        layout: { padding: { top: fontSize * 1.6, right: fontSize } },
        plugins: {
          legend: { display: false },
          tooltip: { ...tooltip, callbacks: { label: (item) => formatValue(item.raw, district.unit) } },
          bxTarget: district.target === null ? {} : targetOptions(district.target, district.comparison, district.unit),
        },
        scales: {
          x: axis(district.unit, top, 5),
          y: { ticks: { font, autoSkip: false }, grid: { display: false } },
        },
      },
      plugins: [targetLine],
    });
  }
  document.documentElement.dataset.chartsReady = "1";
}

draw();
