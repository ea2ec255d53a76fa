# sam build runs these (BuildMethod: makefile, CodeUri: the project root): SAM's default Maven
# builder copies only CodeUri and cannot resolve the parent POM of this multi-module project.
# ./ops package-function builds the function's module (with shared) and puts its jar in lib/.
# The functions are ./ops's list (the one list), printed by ./ops functions.
FUNCTIONS := $(shell ./ops functions)

$(addprefix build-,$(FUNCTIONS)):
	./ops package-function $(@:build-%=%) "$(ARTIFACTS_DIR)"

.PHONY: $(addprefix build-,$(FUNCTIONS))
