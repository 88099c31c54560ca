"""Importers for the workbooks analysts download: NATO, SIPRI and the Kiel tracker.

Each reads one publisher's .xlsx layout and writes a validated overlay folder
(``--overlay`` of every command); every row names the file, sheet and row it came from.
Nothing here downloads anything.
"""

from alliance.data.importers._workbook import ImportResult
from alliance.data.importers.kiel import import_kiel
from alliance.data.importers.nato import import_nato
from alliance.data.importers.sipri import import_sipri

__all__ = ["ImportResult", "import_kiel", "import_nato", "import_sipri"]
