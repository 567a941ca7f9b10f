"""Code that serves several apps and belongs to none of them."""
