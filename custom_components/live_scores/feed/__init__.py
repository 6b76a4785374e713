"""Live score feeds: protocol clients and match tracking.

Nothing in this package imports Home Assistant; it is driven through
`FeedClient` with an injected `aiohttp.ClientSession`.
"""
