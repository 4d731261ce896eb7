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
EXPOSE 8080
ENTRYPOINT ["/opt/fraud/bin/fraud"]
CMD ["run", "--host", "0.0.0.0"]
