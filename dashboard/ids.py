"""Component ids, in one place so that layouts and callbacks agree."""

HOME_BOARDS = "home-boards"
HOME_VERSION = "home-version"
HOME_TICK = "home-tick"
