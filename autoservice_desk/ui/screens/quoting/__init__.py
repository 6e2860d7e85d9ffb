"""The Quoting screen (проценка): search across own stock, analogs and suppliers; saved quotes; suppliers."""
