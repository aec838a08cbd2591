-- One database per service: none reads another's.
CREATE DATABASE intake;
CREATE DATABASE capacity;
CREATE DATABASE matching;
