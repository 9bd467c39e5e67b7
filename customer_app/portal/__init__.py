"""The customer portal: accounts of customers' people, their access to customers, and the pages they use."""
