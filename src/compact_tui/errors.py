"""The one error type the command line and the app show to a user as a sentence."""


class UserError(Exception):
    """Something the user asked for cannot be done; the message is one clear sentence."""
