"""Tests of the commercial documents."""
