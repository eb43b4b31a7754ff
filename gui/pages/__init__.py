"""The pages of the main window: connections, customers, orders, mappings, history."""
