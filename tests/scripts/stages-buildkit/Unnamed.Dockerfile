FROM alpine
RUN echo one > /one.txt
FROM busybox
COPY --from=0 /one.txt /
CMD ["cat", "/one.txt"]
