"""Components of the commerce tabs."""
