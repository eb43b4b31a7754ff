"""Qt table models (QAbstractTableModel + QSortFilterProxyModel); each is checked with qtmodeltester."""
