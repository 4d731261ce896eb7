# The platform image used by docker-compose.yml: built from this checkout with the Maven wrapper.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -ntp -Dquick package

FROM eclipse-temurin:17-jre
WORKDIR /opt/fraud
COPY --from=build /src/bin ./bin
COPY --from=build /src/platform/target/fraud-platform.jar ./platform/target/
COPY --from=build /src/platform/target/lib ./platform/target/lib
# the offline jobs' jar, shipped to the Flink cluster by `features backfill` and `rules backtest`
COPY --from=build /src/platform/target/flink ./platform/target/flink
# The platform runs as a user of its own, owning only its state folders (the volumes mounted there
# take their ownership from the image).
RUN useradd --system --uid 10001 --home-dir /var/lib/fraud --shell /usr/sbin/nologin fraud \
    && mkdir -p /var/lib/fraud/settlements /var/lib/fraud-history /var/lib/fraud-release-keys \
    && chown fraud:fraud /var/lib/fraud /var/lib/fraud/settlements /var/lib/fraud-history /var/lib/fraud-release-keys
USER fraud
# The heap follows the container's memory limit (bin/fraud's default is a fixed 2 GB); an
# OutOfMemoryError ends the process so that the container restarts instead of limping on.
ENV FRAUD_JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080 9464
ENTRYPOINT ["/opt/fraud/bin/fraud"]
# In a container the API listens on 0.0.0.0 to be reached through a published port, in plain HTTP
# only because --allow-plain-http says so: publish it on the host's loopback (-p
# 127.0.0.1:8080:8080), or serve HTTPS with mounted PEM files named by FRAUD_TLS_CERT and
# FRAUD_TLS_KEY (the API then speaks HTTPS only).
CMD ["run", "--host", "0.0.0.0", "--allow-plain-http"]
