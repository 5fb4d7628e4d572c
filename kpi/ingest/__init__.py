"""The one write path: decode and validate a batch, upsert it, and pick what to celebrate."""
