FROM busybox
COPY hello.txt /v2.txt
CMD ["cat", "/v2.txt"]
