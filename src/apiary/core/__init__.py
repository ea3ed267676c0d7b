"""What every API shares: settings, database, identity, tokens, auth, errors and pagination."""
