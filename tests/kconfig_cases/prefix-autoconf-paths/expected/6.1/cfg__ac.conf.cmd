deps_config := \
	Kconfig \

cfg/ac.conf: $(deps_config)


$(deps_config): ;
