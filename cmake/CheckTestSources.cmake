# Fails the configure when a .cc file under tests/ is compiled into no
# target. A test file that is renamed, added or moved without a CMakeLists.txt
# picking it up would otherwise never build and never run, and nothing would
# say so. Included last by the top-level CMakeLists.txt, once every target
# exists; the glob is re-checked on every build (CONFIGURE_DEPENDS).

function(_unionhub_targets_under dir out)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(sub ${subdirs})
    _unionhub_targets_under(${sub} sub_targets)
    list(APPEND targets ${sub_targets})
  endforeach()
  set(${out} ${targets} PARENT_SCOPE)
endfunction()

function(unionhub_check_test_sources)
  _unionhub_targets_under(${PROJECT_SOURCE_DIR} targets)
  set(compiled)
  foreach(target ${targets})
    get_target_property(sources ${target} SOURCES)
    if(NOT sources)
      continue()
    endif()
    get_target_property(dir ${target} SOURCE_DIR)
    foreach(source ${sources})
      get_filename_component(path ${source} ABSOLUTE BASE_DIR ${dir})
      list(APPEND compiled ${path})
    endforeach()
  endforeach()

  file(GLOB_RECURSE test_sources CONFIGURE_DEPENDS
    ${PROJECT_SOURCE_DIR}/tests/*.cc)
  set(orphans)
  foreach(source ${test_sources})
    # tests/fuzz is only configured in the fuzz build (UNIONHUB_FUZZ).
    file(RELATIVE_PATH rel ${PROJECT_SOURCE_DIR} ${source})
    if(NOT UNIONHUB_FUZZ AND rel MATCHES "^tests/fuzz/")
      continue()
    endif()
    if(NOT source IN_LIST compiled)
      list(APPEND orphans ${rel})
    endif()
  endforeach()
  if(orphans)
    list(JOIN orphans "\n  " listing)
    message(FATAL_ERROR "test sources compiled into no target (add them to "
      "their folder's CMakeLists.txt, or delete them):\n  ${listing}")
  endif()
endfunction()

unionhub_check_test_sources()
