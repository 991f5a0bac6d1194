"""The decisions store: every decision (and the shipment events behind them) in the registry's
database, for the console and for officers' look-ups."""
