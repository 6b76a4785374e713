"""Tests for Live Scores."""
