autoconfig := include/config/auto.conf

deps_config := \
	Kconfig \
	scripts/Kconfig.include \
	init/Kconfig \
	arch/x86/Kconfig \
	kernel/Kconfig.hz \
	net/Kconfig \
	drivers/Kconfig \
	drivers/virtio/Kconfig \
	drivers/net/Kconfig \
	drivers/tty/Kconfig \
	drivers/gpu/Kconfig \
	fs/Kconfig \
	lib/Kconfig \

$(autoconfig): $(deps_config)
$(deps_config): ;

ifneq "$(ARCH)" "x86"
$(autoconfig): FORCE
endif

ifneq "$(KERNELVERSION)" "6.12.0-demo"
$(autoconfig): FORCE
endif

ifneq "$(CC)" "gcc"
$(autoconfig): FORCE
endif

ifneq "$(SRCARCH)" "x86"
$(autoconfig): FORCE
endif
