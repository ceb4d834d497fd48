// 导出Excel on every table of every page: a button before each <table> (but those marked
// data-no-export) that posts the table's header and the rows the page shows (rows hidden on the page are
// left out) to POST /export/table.xlsx, which returns them as a workbook. The server adds nothing, so an
// export holds exactly what the reader saw, in the reader's scope.
(function () {
  function text(cell) { return (cell.innerText || cell.textContent || "").replace(/\s+/g, " ").trim(); }
  function shown(el) { return !el.hidden && getComputedStyle(el).display !== "none"; }
  function titleOf(table) {
    if (table.dataset.exportTitle) return table.dataset.exportTitle;
    if (table.caption) return text(table.caption);
    let el = table.previousElementSibling;
    while (el) { if (/^H[1-4]$/.test(el.tagName)) return text(el); el = el.previousElementSibling; }
    const h1 = document.querySelector("main h1, h1");
    return h1 ? text(h1) : document.title;
  }
  function rowsOf(table) {
    const head = table.tHead && table.tHead.rows.length ? table.tHead.rows[table.tHead.rows.length - 1] : null;
    const header = head ? Array.from(head.cells).map(text) : [];
    const rows = [];
    for (const body of table.tBodies) {
      for (const tr of body.rows) {
        if (!shown(tr)) continue;
        rows.push(Array.from(tr.cells).map(text));
      }
    }
    return { header: header, rows: rows };
  }
  function csrf() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"] || ""; } catch (e) { return ""; }
  }
  async function exportTable(table, button) {
    const data = rowsOf(table);
    button.disabled = true;
    try {
      const res = await fetch("/export/table.xlsx", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
        body: JSON.stringify({ title: titleOf(table).slice(0, 100), page: location.pathname + location.search,
                               header: data.header, rows: data.rows }),
      });
      if (!res.ok) throw new Error("导出失败（" + res.status + "）");
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement("a");
      a.href = url;
      a.download = titleOf(table).slice(0, 60) + ".xlsx";
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (err) {
      button.title = err.message;
      button.textContent = "导出失败，重试";
    } finally {
      button.disabled = false;
    }
  }
  function equip(root) {
    if (!document.body || !csrf()) return;  // logged-in pages only (the CSRF token of the session)
    for (const table of root.querySelectorAll("main table:not([data-no-export]):not([data-export-ready])")) {
      table.dataset.exportReady = "true";
      const button = document.createElement("button");
      button.type = "button";
      button.className = "table-export";
      button.textContent = "导出Excel";
      button.addEventListener("click", () => exportTable(table, button));
      table.parentNode.insertBefore(button, table);
    }
  }
  document.addEventListener("DOMContentLoaded", () => equip(document));
  document.addEventListener("htmx:afterSettle", (ev) => equip(ev.target.closest ? (ev.target.closest("main") || document) : document));
})();
