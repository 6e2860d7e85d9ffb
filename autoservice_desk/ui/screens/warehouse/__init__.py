"""The Warehouse screen: the stock browser, stock documents and further tabs."""
