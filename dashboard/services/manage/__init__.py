"""The manager pages' data, always narrowed to what the signed-in viewer may see."""
