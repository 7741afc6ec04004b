FROM busybox
COPY a.txt /alt.txt
CMD ["cat", "/alt.txt"]
