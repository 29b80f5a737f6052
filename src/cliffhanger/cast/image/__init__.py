"""The ``image`` cast provider: actors and sets from an OpenAI-compatible images endpoint.

Importing this package registers it as ``image`` in :data:`cliffhanger.cast.base.CASTERS`::

    [cast]
    provider = "image"
    [image]
    base_url = "https://api.openai.com/v1"   # key: CLIFFHANGER_IMAGE__API_KEY or OPENAI_API_KEY

:mod:`.fake_server` serves the same wire format on 127.0.0.1 for tests and offline demos.
"""

from __future__ import annotations

from cliffhanger.cast.image.client import ImageClient
from cliffhanger.cast.image.provider import ImageActor, ImageCaster

__all__ = ["ImageActor", "ImageCaster", "ImageClient"]
