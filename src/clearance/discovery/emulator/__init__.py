"""A fleet of fake devices on loopback that answer discovery probes like real ones do."""
