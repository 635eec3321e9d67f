# faqlint in a container, built from this repository (it needs no package index entry for
# faqlint itself, so it works before and after faqlint is on PyPI):
#
#   docker build -t faqlint .
#   docker run --rm -v "$PWD:/src" faqlint check .
#
# The image runs as an unprivileged user; the repository is mounted at /src, the working folder,
# so the paths in every report are the repository's own.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Build from a copy of the sources (see .dockerignore), then drop it: the image keeps only the
# installed package and its dependencies.
COPY . /tmp/faqlint
RUN pip install /tmp/faqlint && rm -rf /tmp/faqlint \
    && useradd --create-home --uid 10001 faqlint

USER faqlint
# The cache of validated policies and configuration: in the container, never in /src, and
# writable whichever user runs it (`docker run --user "$(id -u):$(id -g)"` to write reports
# into the mounted repository as yourself).
ENV FAQLINT_CACHE_DIR=/tmp/faqlint-cache
WORKDIR /src
ENTRYPOINT ["faqlint"]
CMD ["check", "."]
