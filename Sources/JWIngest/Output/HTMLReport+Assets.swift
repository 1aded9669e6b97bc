extension HTMLReport {
    /// The page's one style sheet, inline (the policy allows it by its digest). System fonts only.
    static let style = """

        :root { --ingested: #1a7f37; --unchanged: #6e7781; --failed: #cf222e; --interrupted: #bf8700;
          --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --panel: #f6f8fa; --accent: #0969da; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
          sans-serif; color: var(--ink); background: #fff; }
        header, main, footer { max-width: 1200px; margin: 0 auto; padding: 0 24px; }
        header { padding-top: 20px; }
        h1 { font-size: 22px; margin: 0 0 4px; }
        h1 .manifest { font-weight: 400; color: var(--muted); }
        h2 { font-size: 16px; margin: 24px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
        .verdict { display: inline-block; margin: 4px 0; padding: 2px 10px; border-radius: 12px; color: #fff;
          font-weight: 600; }
        .verdict.ok { background: var(--ingested); }
        .verdict.failed { background: var(--failed); }
        .verdict.interrupted { background: var(--interrupted); }
        .stop { margin: 4px 0; color: var(--failed); }
        .tiles { display: flex; gap: 12px; flex-wrap: wrap; }
        .tile { flex: 1 1 150px; padding: 10px 14px; border: 1px solid var(--line); border-left-width: 6px;
          border-radius: 6px; background: var(--panel); }
        .tile .count { font-size: 26px; font-weight: 700; }
        .tile .label { color: var(--muted); }
        .tile.ingested { border-left-color: var(--ingested); }
        .tile.unchanged { border-left-color: var(--unchanged); }
        .tile.failed { border-left-color: var(--failed); }
        .tile.interrupted { border-left-color: var(--interrupted); }
        .facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); gap: 6px 24px;
          margin: 12px 0 0; }
        .facts div { display: flex; gap: 8px; }
        .facts dt { color: var(--muted); flex: 0 0 140px; }
        .facts dd { margin: 0; overflow-wrap: break-word; min-width: 0; font-weight: 600; }
        svg.chart { display: block; width: 100%; max-width: 960px; height: auto; }
        svg.chart text { font: 12px system-ui, sans-serif; fill: var(--ink); }
        svg.chart .axis { stroke: var(--muted); stroke-width: 1; }
        svg.chart .grid { stroke: var(--line); stroke-width: 1; }
        svg.chart .tick { fill: var(--muted); }
        svg.chart .area { fill: var(--accent); fill-opacity: 0.15; }
        svg.chart .line { fill: none; stroke: var(--accent); stroke-width: 2; }
        svg.chart .point { fill: var(--accent); }
        svg.chart .point.failed { fill: var(--failed); }
        svg.chart .bar { fill: var(--accent); }
        svg.chart .mean { fill: var(--ink); }
        .note { color: var(--muted); margin: 4px 0; }
        .table-wrap { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; font-size: 13px; }
        th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { background: var(--panel); white-space: nowrap; }
        th button { font: inherit; font-weight: 600; color: inherit; background: none; border: 0; padding: 0;
          cursor: pointer; }
        th[aria-sort="ascending"] button::after { content: " ▲"; }
        th[aria-sort="descending"] button::after { content: " ▼"; }
        td.number { text-align: right; white-space: nowrap; }
        td code { font-size: 12px; }
        td.error { max-width: 420px; overflow-wrap: anywhere; white-space: pre-wrap; }
        .title { display: block; color: var(--muted); }
        .outcome { font-weight: 600; }
        tr.failed .outcome { color: var(--failed); }
        tr.interrupted .outcome { color: var(--interrupted); }
        tr.ingested .outcome { color: var(--ingested); }
        tr.unchanged .outcome { color: var(--unchanged); }
        tr.failed td:first-child { box-shadow: inset 4px 0 var(--failed); }
        .mismatch { color: var(--failed); font-weight: 700; }
        footer { color: var(--muted); margin: 24px auto; font-size: 12px; }

        """

    /// The page's one script, inline (allowed by its digest): turns the item table's headers into buttons
    /// that sort it by that column, by each cell's `data-sort` value. Without it the table stays as written,
    /// failures first.
    static let script = """

        (function () {
          "use strict";
          var table = document.getElementById("items-table");
          if (!table || !table.tHead || !table.tBodies.length) { return; }
          var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
          function key(row, column) { return row.cells[column].getAttribute("data-sort") || ""; }
          headers.forEach(function (header, column) {
            var button = document.createElement("button");
            button.type = "button";
            button.textContent = header.textContent;
            button.title = "Sort by " + header.textContent;
            header.textContent = "";
            header.appendChild(button);
            button.addEventListener("click", function () {
              var ascending = header.getAttribute("aria-sort") !== "ascending";
              headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
              header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
              var numeric = header.getAttribute("data-type") === "number";
              var body = table.tBodies[0];
              var rows = Array.prototype.slice.call(body.rows);
              rows.sort(function (a, b) {
                var x = key(a, column), y = key(b, column), order;
                if (numeric) { order = (parseFloat(x) || 0) - (parseFloat(y) || 0); }
                else { order = x.localeCompare(y); }
                if (order === 0) { order = (parseFloat(key(a, 0)) || 0) - (parseFloat(key(b, 0)) || 0); }
                return ascending ? order : -order;
              });
              rows.forEach(function (row) { body.appendChild(row); });
            });
          });
        })();

        """
}
