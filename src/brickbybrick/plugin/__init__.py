"""The MkDocs plugin (entry point ``brickbybrick``) and what it needs at build time."""

from brickbybrick.plugin.config import BrickByBrickConfig
from brickbybrick.plugin.plugin import BrickByBrickPlugin

__all__ = ["BrickByBrickConfig", "BrickByBrickPlugin"]
