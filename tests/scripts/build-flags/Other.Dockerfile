FROM busybox
CMD ["echo", "other"]
