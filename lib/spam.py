"""Phrases spammers use: comments.spam refuses comments with them, accounts.signup signups."""

SPAM_PHRASES = (
    "buy cheap",
    "cheap viagra",
    "viagra",
    "cialis",
    "online casino",
    "casino bonus",
    "payday loan",
    "crypto giveaway",
    "bitcoin giveaway",
    "earn money fast",
    "make money online",
    "work from home and earn",
    "click here to claim",
    "free followers",
    "seo services",
    "essay writing service",
)
