"""WeCom (企业微信): the AI bot (webhook ``aibot``, long connection ``aibot_ws``), the self-built app
(``app``), the group robot for pushes (``robot``); callback ``crypto`` and markdown/card ``render``."""
