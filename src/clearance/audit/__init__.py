"""The end-to-end audit: one command from inventories, networks and suppliers to reports."""
