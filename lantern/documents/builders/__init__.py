"""Each document built once from a review's facts as a `content.model.Document`."""
