# Data package: the SMS command language (keywords, aliases, replies, examples).
