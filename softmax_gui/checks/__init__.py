"""The Gradient check and Evaluate tabs: checking the model's maths and its test results."""
