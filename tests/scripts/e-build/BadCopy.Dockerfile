FROM busybox
COPY missing.txt /m.txt
