"""The yearly report for the funder (issue #14): PDF, XLSX and self-contained HTML, in French.

One folder, read in this order:
- `model.py`: what a report is (sections, key figures, tables, charts), independent of any format;
- `content.py` and `sentences.py`: the report of one year built from the published warehouse
  through `ptce.read` (as the funder sees it: person counts under the threshold masked), with the
  summary sentences generated from the figures by French templates;
- `images.py`, `render.py` and `templates/`: the HTML (interactive charts, nothing fetched from
  outside) and the PDF (WeasyPrint, charts as SVG drawn by kaleido with Debian's chromium);
- `xlsx.py`: the workbook, one sheet per working angle plus the definitions, every figure with its
  source files and publication;
- `build.py`: the three files of one year, used by `ptce report`, the Dagster asset and the
  « Rapports » page.

`reports` reads the warehouse through `ptce` and draws with the dashboards' pure chart functions
(`dashboards/*/charts.py`, `dashboards/shared/plotting.py`); it never imports `pipelines` nor
Streamlit (tests/test_architecture.py).
"""
