"""Users, roles and tokens: who may use the server and what each may do.

``roles`` holds the permission table and :func:`authorise`; ``passwords`` and ``tokens`` the
hashing of passwords (Argon2id) and token secrets (SHA-256); ``users`` and ``api_tokens`` their
rows in the store, :func:`verify_password` (sign-in) and :func:`authenticate` (a request's
``Authorization`` header).
"""

from clearance.auth.api_tokens import authenticate, create_token, list_tokens, revoke_token
from clearance.auth.roles import Principal, authorise
from clearance.auth.users import add_user, list_users, verify_password

__all__ = [
    "Principal",
    "add_user",
    "authenticate",
    "authorise",
    "create_token",
    "list_tokens",
    "list_users",
    "revoke_token",
    "verify_password",
]
