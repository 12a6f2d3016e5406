"""HokweAI's offline language understanding: the intent classifier (`classifier`), the slots
of a message (`slots`), the templated answers (`replies`) and their training phrases (`data`).

Pure: no models, no other module; Django's translation and settings only.
"""
