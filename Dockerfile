# phoenix-certs worker image: built by docker-compose.yml (service phoenix-certs-worker), or by hand with
#   docker build -t phoenix-certs-worker:local .
# Two stages: Maven builds the shaded worker jar, a JRE-only image runs it as a non-root user.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# The whole reactor (every module's pom must be present for Maven to load it); .dockerignore keeps out
# target/, var/, .git and deploy/secrets/.
COPY . .
RUN mvn -B -q -DskipTests package -pl worker -am

FROM eclipse-temurin:17-jre
# uid/gid 10001: clear of the base image's own user (ubuntu, 1000) and of the Temporal images' temporal (1000).
RUN groupadd --system --gid 10001 phoenix \
 && useradd --system --uid 10001 --gid phoenix --home-dir /var/lib/phoenix-certs --shell /usr/sbin/nologin phoenix \
 && mkdir -p /opt/phoenix-certs /etc/phoenix-certs /var/lib/phoenix-certs \
 && chown phoenix:phoenix /var/lib/phoenix-certs \
 && chmod 0750 /var/lib/phoenix-certs
COPY --from=build /src/worker/target/phoenix-certs-worker.jar /opt/phoenix-certs/phoenix-certs-worker.jar
# Relative paths in an inventory (data directories, local CA) land in the data volume.
WORKDIR /var/lib/phoenix-certs
USER 10001:10001
ENV PHOENIX_INVENTORY=/etc/phoenix-certs/phoenix.yaml
ENTRYPOINT ["java","-XX:+UseSerialGC","-Xss512k","-jar","/opt/phoenix-certs/phoenix-certs-worker.jar"]
CMD ["run"]
