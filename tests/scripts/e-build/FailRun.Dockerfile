FROM busybox
RUN echo about to fail && exit 3
