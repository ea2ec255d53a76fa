# sam build runs these (BuildMethod: makefile, CodeUri: the project root): SAM's default Maven
# builder copies only CodeUri and cannot resolve the parent POM of this multi-module project.
# ./ops package-function builds the function's module (with shared) and puts its jar in lib/.
FUNCTIONS := SnapshotFunction PruneFunction AlarmRemediationFunction DeployNotifierFunction HealthCheckFunction

$(addprefix build-,$(FUNCTIONS)):
	./ops package-function $(@:build-%=%) "$(ARTIFACTS_DIR)"

.PHONY: $(addprefix build-,$(FUNCTIONS))
