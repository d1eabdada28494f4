// Printing: charts and tables drawn in pixels, shrunk to the width they get on the sheet.
// Injected by dashboards/shared/printing.py on every run; it registers itself once per browser tab.
//
// Plotly charts and data grids are drawn by script at the width they had on screen (a chart in a
// tab never opened at Plotly's default 700 px). Printed, the page is as wide as an A4 sheet less
// its margins (print.css), narrower than most screens: drawn as they are, they would be cut at the
// right edge. Just before printing, each one gets a CSS zoom bringing it to the width its place
// will have on paper; the zoom is removed after printing. Nothing is redrawn, nothing is fetched.
(() => {
  if (window.ptcePrintFit) {
    return;
  }
  // Width of the printed content, in CSS pixels: A4 portrait (210 mm) less 2 × 10 mm of margins
  // (print.css `@page`), at 96 pixels per inch.
  const SHEET_WIDTH = ((210 - 2 * 10) / 25.4) * 96;
  // Height a chart or table may take on one sheet, its heading above it included: taller, it is
  // shrunk further rather than cut across two sheets.
  const SHEET_HEIGHT = ((297 - 2 * 10) / 25.4) * 96 - 80;
  const DRAWN = '[data-testid="stPlotlyChart"], [data-testid="stDataFrame"]';
  // Streamlit's marks of the elements whose columns it stacks on paper.
  const STACKED = ".stPrintGraphic, .stPrintFixedWidth";

  // Width of the content of the main column on screen, which becomes SHEET_WIDTH on paper.
  function mainWidth() {
    const main = document.querySelector('[data-testid="stMainBlockContainer"]');
    if (!main) {
      return 0;
    }
    const style = getComputedStyle(main);
    return main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  }

  // The width an element's place has on screen; a hidden one (an inactive tab's panel) takes the
  // width of its nearest displayed ancestor, which it will have when printed. Streamlit prints
  // columns holding a chart or a table one below the other, each as wide as their row: there the
  // place is the whole row.
  function placeWidth(element) {
    let place = element;
    for (let node = element.parentElement; node; node = node.parentElement) {
      if (node.matches('[data-testid="stHorizontalBlock"]') && node.querySelector(STACKED)) {
        place = node;
      }
    }
    for (let node = place; node; node = node.parentElement) {
      const width = node.getBoundingClientRect().width;
      if (width > 0) {
        return width;
      }
    }
    return 0;
  }

  function drawnHeight(element) {
    const plot = element.querySelector(".main-svg");
    return plot ? parseFloat(plot.getAttribute("height")) || 0 : 0;
  }

  // The width the element's content was drawn at.
  function drawnWidth(element) {
    const plot = element.querySelector(".main-svg");
    if (plot) {
      return parseFloat(plot.getAttribute("width")) || 0;
    }
    return element.scrollWidth || element.getBoundingClientRect().width;
  }

  function fit() {
    const screen = mainWidth();
    if (!screen) {
      return;
    }
    // Blocks are laid out in proportion to the main column: a place keeps its share of it.
    const ratio = Math.min(1, SHEET_WIDTH / screen);
    for (const element of document.querySelectorAll(DRAWN)) {
      const drawn = drawnWidth(element);
      const room = placeWidth(element) * ratio;
      // The zoom goes on the element's box, whose height Streamlit fixes in pixels: it shrinks too.
      const box = element.closest('[data-testid="stElementContainer"]') || element;
      const height = box.getBoundingClientRect().height || drawnHeight(element);
      const zoom = Math.min(1, room / drawn, SHEET_HEIGHT / height);
      if (drawn > 0 && room > 0 && zoom < 1) {
        box.style.zoom = String(zoom);
        box.dataset.ptcePrintZoom = String(zoom);
      }
    }
  }

  function unfit() {
    for (const element of document.querySelectorAll("[data-ptce-print-zoom]")) {
      element.style.zoom = "";
      delete element.dataset.ptcePrintZoom;
    }
  }

  window.addEventListener("beforeprint", fit);
  window.addEventListener("afterprint", unfit);
  window.ptcePrintFit = { fit, unfit, SHEET_WIDTH, SHEET_HEIGHT };
})();
